/**
 * hypermeta's own cart-pole: a 1 kg cart on a damped rail (±2 m) pushed by a motor of at most
 * 10 N, carrying a free-swinging 0.6 m, 0.2 kg pole. Nothing collides, so the dynamics are the
 * textbook ones, varied only through masses, inertias, damping and the motor.
 */
export const CARTPOLE_XML = `<mujoco model="cartpole">
  <compiler angle="radian"/>
  <option timestep="0.02" integrator="RK4"/>
  <default>
    <geom contype="0" conaffinity="0"/>
  </default>
  <worldbody>
    <light pos="0 0 3"/>
    <geom name="floor" type="plane" pos="0 0 -0.1" size="4 1 0.1" rgba=".8 .8 .8 1"/>
    <geom name="rail" type="capsule" fromto="-2.2 0 0 2.2 0 0" size="0.01"/>
    <body name="cart">
      <joint name="slider" type="slide" axis="1 0 0" limited="true" range="-2 2" damping="0.5"/>
      <geom name="cart" type="box" size="0.2 0.1 0.05" mass="1"/>
      <body name="pole">
        <joint name="hinge" type="hinge" axis="0 1 0" damping="0.02"/>
        <geom name="pole" type="capsule" fromto="0 0 0 0 0 0.6" size="0.03" mass="0.2"/>
      </body>
    </body>
  </worldbody>
  <actuator>
    <motor name="push" joint="slider" gear="10" ctrlrange="-1 1" ctrllimited="true"/>
  </actuator>
</mujoco>
`;

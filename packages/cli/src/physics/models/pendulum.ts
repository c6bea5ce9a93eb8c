/**
 * hypermeta's own pendulum: a 0.5 m rod with a 1 kg bob on a damped hinge, driven by a motor of
 * at most 2 N·m — under half of the 4.9 N·m gravity torque at horizontal, so swinging up takes
 * several pumps (the classic underactuated swing-up).
 */
export const PENDULUM_XML = `<mujoco model="pendulum">
  <compiler angle="radian"/>
  <option timestep="0.02" integrator="RK4"/>
  <worldbody>
    <light pos="0 0 3"/>
    <geom name="floor" type="plane" size="2 2 0.1" rgba=".8 .8 .8 1"/>
    <body name="pole" pos="0 0 1">
      <joint name="hinge" type="hinge" axis="0 1 0" damping="0.05"/>
      <geom name="rod" type="capsule" fromto="0 0 0 0 0 -0.5" size="0.02" mass="0.1"/>
      <geom name="bob" type="sphere" pos="0 0 -0.5" size="0.05" mass="1"/>
    </body>
  </worldbody>
  <actuator>
    <motor name="torque" joint="hinge" gear="1" ctrlrange="-2 2" ctrllimited="true"/>
  </actuator>
</mujoco>
`;

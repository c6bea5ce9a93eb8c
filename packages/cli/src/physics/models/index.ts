import { CARTPOLE_XML } from './cartpole.js';
import { PENDULUM_XML } from './pendulum.js';

/**
 * The models hypermeta ships (our own MJCF, as modules so they travel inside dist/ with the
 * code): `hypermeta train --task dynamics` works with nothing but the install.
 */
export const SHIPPED_MODELS: Readonly<Record<string, string>> = {
  pendulum: PENDULUM_XML,
  cartpole: CARTPOLE_XML,
};

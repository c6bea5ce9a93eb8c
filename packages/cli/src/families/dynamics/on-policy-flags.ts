import { Option } from 'commander';
import { defaultOnPolicyConfig, type DynamicsConfig, InvalidArgumentError } from '@hypermeta/core';
import { intArg } from '../../options.js';
import type { Flags } from '../cli-family.js';

/** `train`'s on-policy flags (the planner's settings and the noise come from a --config file). */
export const onPolicyFlags = () => [
  new Option(
    '--on-policy <rounds>',
    'dynamics: add MPC episodes of the model being trained to the data, this many times during training (default off)',
  ).argParser(intArg(1, 1000)),
  new Option(
    '--on-policy-variations <n>',
    'dynamics: training variations given an on-policy episode per round (default 50, at most --variations)',
  ).argParser(intArg(1, 1_000_000)),
  new Option('--on-policy-steps <n>', 'dynamics: steps of each on-policy episode (default 100)').argParser(
    intArg(2, 100_000),
  ),
];

/**
 * Sets `data.onPolicy` from the flags over what a --config file gave, its missing fields from the
 * defaults (at most --variations variations).
 */
export function applyOnPolicyFlags(c: DynamicsConfig, f: Flags): void {
  const rounds = f.onPolicy as number | undefined;
  const given = c.data.onPolicy;
  if (rounds === undefined && !given) {
    const stray = f.onPolicyVariations !== undefined ? '--on-policy-variations' : '--on-policy-steps';
    if (f.onPolicyVariations !== undefined || f.onPolicySteps !== undefined)
      throw new InvalidArgumentError(`${stray} needs --on-policy <rounds>`);
    return;
  }
  const defaults = defaultOnPolicyConfig(1);
  c.data.onPolicy = {
    ...defaults,
    variations: Math.min(defaults.variations, c.data.variations),
    ...given,
    ...(rounds === undefined ? {} : { rounds }),
    ...(f.onPolicyVariations === undefined ? {} : { variations: f.onPolicyVariations as number }),
    ...(f.onPolicySteps === undefined ? {} : { steps: f.onPolicySteps as number }),
  };
}

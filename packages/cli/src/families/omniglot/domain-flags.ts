import { InvalidArgumentError as CommanderArgError, Option } from 'commander';
import { domainNames } from '../../data/domains/index.js';
import { intArg } from '../../options.js';

/** `N` or `variable`: a count, or Meta-Dataset's rule. */
export function countOrVariable(min: number, max: number): (v: string) => number | 'variable' {
  const int = intArg(min, max);
  return (v: string) => {
    if (v.trim() === 'variable') return 'variable';
    try {
      return int(v);
    } catch {
      throw new CommanderArgError(`must be an integer from ${min} to ${max}, or "variable"`);
    }
  };
}

/** eval: a registered domain to evaluate on, and Meta-Dataset's protocol. */
export const domainEvalFlags = () => [
  new Option(
    '--domain <name>',
    `evaluate on a registered image domain: ${domainNames().join(', ')} (docs/DOMAINS.md)`,
  ),
  new Option(
    '--variable-shots',
    "with --domain: class-imbalanced support sets drawn by Meta-Dataset's rule (also what --ways variable implies unless --shots is given)",
  ),
];

/** train: the domains episodes are drawn from. */
export const domainTrainFlags = () => [
  new Option(
    '--domains <list>',
    `train on several image domains, each episode from one drawn uniformly: comma-separated, from ${domainNames().join(', ')}`,
  ),
];

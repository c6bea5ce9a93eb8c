import { Option } from 'commander';
import { domainNames } from '../../data/domains/index.js';

/** eval: a registered domain to evaluate on, and Meta-Dataset's protocol. */
export const domainEvalFlags = () => [
  new Option(
    '--domain <name>',
    `evaluate on a registered image domain: ${domainNames().join(', ')} (docs/DOMAINS.md)`,
  ),
  new Option(
    '--variable-shots',
    "with --domain: class-imbalanced support sets drawn by Meta-Dataset's rule, the same as --shots variable (also what --ways variable implies unless --shots is given)",
  ),
];

/** train: the domains episodes are drawn from. */
export const domainTrainFlags = () => [
  new Option(
    '--domains <list>',
    `train on several image domains, each episode from one drawn uniformly: comma-separated, from ${domainNames().join(', ')}`,
  ),
];

import { emojiDomain } from './emoji.js';
import { folderDomain } from './folder.js';
import { metaDatasetDomain } from './metadataset.js';
import { mnistDomain } from './mnist.js';
import { omniglotDomain } from './omniglot.js';
import { registerDomain } from './registry.js';
import { scriptsDomain } from './scripts.js';

/** The image domains hypermeta can load, one file each; `folder:` and `metadataset:` take a path. */
registerDomain(omniglotDomain);
registerDomain(mnistDomain);
registerDomain(scriptsDomain);
registerDomain(emojiDomain);
registerDomain(folderDomain);
registerDomain(metaDatasetDomain);

export { domainNames, parseDomain, parseDomainList, registerDomain } from './registry.js';
export type { DomainContext, DomainData, DomainLoader, DomainSpec } from './registry.js';
export { loadDomain, type LoadedDomain } from './load-domain.js';

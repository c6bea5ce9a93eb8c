import './index.js';
import { runConformanceSuite } from '@hypermeta/test-support/conformance-suite';

// tfjs-node registers itself under the name 'tensorflow'.
await runConformanceSuite('node', 'tensorflow');

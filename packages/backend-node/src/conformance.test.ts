import './index.js';
import { runConformanceSuite } from '../../../tools/conformance-suite.js';

// tfjs-node registers itself under the name 'tensorflow'.
await runConformanceSuite('node', 'tensorflow');

import './index.js';
import { runConformanceSuite } from '../../../tools/conformance-suite.js';

await runConformanceSuite('wasm', 'wasm');

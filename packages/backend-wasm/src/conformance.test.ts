import './index.js';
import { runConformanceSuite } from '@hypermeta/test-support/conformance-suite';

await runConformanceSuite('wasm', 'wasm');

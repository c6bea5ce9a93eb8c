import { packageConfig } from '../../tools/vitest-package.js';

export default packageConfig();

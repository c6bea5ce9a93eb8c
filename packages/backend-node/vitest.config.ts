import { packageConfig } from '@hypermeta/test-support/vitest-package';

export default packageConfig();

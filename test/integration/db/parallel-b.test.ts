import { isolationSuite } from '../../support/isolation';

isolationSuite('pb');

import { isolationSuite } from '../../support/isolation';

isolationSuite('pa');

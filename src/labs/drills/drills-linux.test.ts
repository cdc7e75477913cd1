// The drills' verification (drills.test-util.ts), part linux.
import { verifyDrills } from './drills.test-util';

verifyDrills('linux');

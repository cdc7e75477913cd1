// The drills' verification (drills.test-util.ts), part k8s-b.
import { verifyDrills } from './drills.test-util';

verifyDrills('k8s-b');

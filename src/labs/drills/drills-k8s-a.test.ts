// The drills' verification (drills.test-util.ts), part k8s-a.
import { verifyDrills } from './drills.test-util';

verifyDrills('k8s-a');

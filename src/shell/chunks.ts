// The chunk loader lives in src/sim/chunks.ts (the lowest layer, so that src/commands can load the
// Kubernetes layer through it); the shell's code keeps importing it from here.
export { chunkOnce, loadChunk, onSlowChunk, SLOW_CHUNK_MS } from '../sim/chunks';

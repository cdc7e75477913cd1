// The registry of simulated networking commands. Each tool is one module;
// add it to this list.
import type { NetCommand } from './types';

export const netCommands: NetCommand[] = [];

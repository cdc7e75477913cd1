// Every chapter's bank, unvalidated: for code that must stay light (the
// browser's grader worker). Everything else uses ./index.ts, which validates.
import type { QuizBank } from '../types';
import map from './map';
import switching from './switching';
import routing from './routing';
import dns from './dns';
import namespaces from './namespaces';
import cni from './cni';
import podNetworking from './pod-networking';
import serviceNetworking from './service-networking';
import proxies from './proxies';

/** [file name, bank] for each chapter's bank. */
export const bankSources: [file: string, bank: QuizBank][] = [
  ['map.ts', map],
  ['switching.ts', switching],
  ['routing.ts', routing],
  ['dns.ts', dns],
  ['namespaces.ts', namespaces],
  ['cni.ts', cni],
  ['pod-networking.ts', podNetworking],
  ['service-networking.ts', serviceNetworking],
  ['proxies.ts', proxies],
];

export function rawBank(chapter: string): QuizBank | undefined {
  return bankSources.find(([, b]) => b.chapter === chapter)?.[1];
}

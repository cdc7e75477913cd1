// The learner's progress, kept in localStorage so that a reader can come back
// later (and carried between devices by export/import, with no account).
//
// One JSON document under PROGRESS_KEY, versioned:
//   version 1  (first release)  { version: 1, answers: { "chapter/question": { attempts, correct, last } } }
//   version 2  (current)        sections per activity: quizzes (per chapter, per question),
//                               drills (per drill id) and exams (a list of exam reports)
// Older documents are migrated on load (MIGRATIONS); anything unreadable
// (bad JSON, unknown shape, a version from the future) is set aside under
// BACKUP_KEY and replaced by empty progress, with a notice for the page; a
// single bad chapter or drill entry is dropped, the rest is kept. Nothing in
// here throws on bad data.
//
// Sections other than quizzes belong to their features (drills: src/labs/drills);
// they extend the schemas below and add a merge rule in mergeProgress.
import { z } from '../sim/zod-mini';
import { mergeDrillRecords } from './drills/records';
import { drillRecordSchema, examResultSchema, firstIssue } from './drills/record-schema';

export const PROGRESS_KEY = 'netlab:progress';
/** Where unreadable progress is set aside (so nothing is lost silently). */
export const BACKUP_KEY = 'netlab:progress:unreadable';
export const PROGRESS_VERSION = 2;
/** Longest answer text kept per question (a command answer can be long). */
export const MAX_ANSWER_CHARS = 4000;

// ------------------------------------------------------------------ shapes

export type StoredAnswer = string | string[];

export interface QuestionRecord {
  attempts: number;
  /** did the latest check succeed */
  correct: boolean;
  /** the latest answer checked (option ids, or the typed text) */
  lastAnswer: StoredAnswer | null;
  /** the learner revealed the answer at some point */
  revealed: boolean;
  /** ms since the epoch of the latest change */
  updatedAt: number;
}

export interface ChapterRecord {
  questions: Record<string, QuestionRecord>;
  /** questions whose latest check succeeded */
  score: number;
  /** questions in the chapter's quiz when last seen */
  total: number;
  updatedAt: number;
}

/** A drill's record (owned by the drills feature; kept opaque here apart from its timestamp). */
export interface DrillRecord {
  updatedAt?: number;
  [key: string]: unknown;
}

/** An exam report (owned by the drills feature). */
export interface ExamRecord {
  id?: string;
  updatedAt?: number;
  [key: string]: unknown;
}

export interface Progress {
  version: 2;
  quizzes: Record<string, ChapterRecord>;
  drills: Record<string, DrillRecord>;
  exams: ExamRecord[];
  updatedAt: number;
}

const count = z.number().check(z.int(), z.nonnegative());
const time = z.number().check(z.nonnegative());
const storedAnswer = z.union([z.string().check(z.maxLength(MAX_ANSWER_CHARS)), z.array(z.string().check(z.maxLength(200))).check(z.maxLength(50))]);

const questionRecord = z.object({
  attempts: count,
  correct: z.boolean(),
  lastAnswer: z.nullable(storedAnswer),
  revealed: z.boolean(),
  updatedAt: time,
});

const chapterRecord = z.object({
  questions: z.record(z.string(), questionRecord),
  score: count,
  total: count,
  updatedAt: time,
});

// drill and exam entries have the drills feature's shapes (src/labs/drills/record-schema.ts)
const drillRecord = drillRecordSchema;
const examRecord = examResultSchema;

/** The top level of a version-2 document; sections are checked entry by entry. */
const documentV2 = z.looseObject({
  version: z.literal(2),
  quizzes: z.record(z.string(), z.unknown()),
  drills: z.optional(z.record(z.string(), z.unknown())),
  exams: z.optional(z.array(z.unknown())),
  updatedAt: z.optional(time),
});

const documentV1 = z.looseObject({
  version: z.literal(1),
  answers: z.record(
    z.string(),
    z.object({ attempts: count, correct: z.boolean(), last: z.optional(z.nullable(storedAnswer)), at: z.optional(time) }),
  ),
});

// ------------------------------------------------------------------ migration and parsing

/** One step from version N to N+1, for every N below PROGRESS_VERSION. */
const MIGRATIONS: Record<number, (doc: unknown) => unknown> = {
  1: (doc) => {
    const v1 = documentV1.parse(doc);
    const quizzes: Record<string, ChapterRecord> = {};
    let latest = 0;
    for (const [key, rec] of Object.entries(v1.answers)) {
      const slash = key.indexOf('/');
      if (slash <= 0 || slash === key.length - 1) continue;
      const chapter = key.slice(0, slash);
      const qid = key.slice(slash + 1);
      const at = rec.at ?? 0;
      latest = Math.max(latest, at);
      const ch = (quizzes[chapter] ??= { questions: {}, score: 0, total: 0, updatedAt: 0 });
      ch.questions[qid] = { attempts: rec.attempts, correct: rec.correct, lastAnswer: rec.last ?? null, revealed: false, updatedAt: at };
      ch.updatedAt = Math.max(ch.updatedAt, at);
    }
    for (const ch of Object.values(quizzes)) {
      // version 1 did not know a chapter's size: the next visit to the chapter corrects it
      ch.total = Object.keys(ch.questions).length;
      ch.score = scoreOf(ch.questions);
    }
    return { version: 2, quizzes, drills: {}, exams: [], updatedAt: latest };
  },
};

export type ParseResult =
  | {
      ok: true;
      progress: Progress;
      /** entries that were unreadable and dropped */
      dropped: string[];
      /** why each dropped entry was unreadable, in the same order */
      reasons: string[];
      migratedFrom: number | null;
    }
  | { ok: false; error: string };

/** Read a progress document of any known version; never throws. */
export function parseProgress(raw: unknown): ParseResult {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, error: 'not a progress document' };
  const version = (raw as { version?: unknown }).version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    return { ok: false, error: 'no version number: this is not a netlab progress file' };
  if (version > PROGRESS_VERSION) return { ok: false, error: `it was written by a newer version of netlab (format ${version}; this page reads up to ${PROGRESS_VERSION})` };
  let doc: unknown = raw;
  try {
    for (let v = version; v < PROGRESS_VERSION; v++) doc = MIGRATIONS[v]!(doc);
  } catch {
    return { ok: false, error: `its format ${version} content is damaged` };
  }
  const top = documentV2.safeParse(doc);
  if (!top.success) return { ok: false, error: 'its content is damaged' };
  const dropped: string[] = [];
  const reasons: string[] = [];
  const drop = (what: string, error: Parameters<typeof firstIssue>[0]) => {
    dropped.push(what);
    reasons.push(`${what}: ${firstIssue(error)}`);
  };
  const progress = emptyProgress(top.data.updatedAt ?? 0);
  for (const [chapter, rec] of Object.entries(top.data.quizzes)) {
    const r = chapterRecord.safeParse(rec);
    if (r.success) progress.quizzes[chapter] = { ...r.data, score: scoreOf(r.data.questions) };
    else drop(`quiz "${chapter}"`, r.error);
  }
  for (const [drill, rec] of Object.entries(top.data.drills ?? {})) {
    const r = drillRecord.safeParse(rec);
    if (r.success) progress.drills[drill] = r.data;
    else drop(`drill "${drill}"`, r.error);
  }
  (top.data.exams ?? []).forEach((rec, i) => {
    const r = examRecord.safeParse(rec);
    if (r.success) progress.exams.push(r.data);
    else drop(`exam #${i + 1}`, r.error);
  });
  return { ok: true, progress, dropped, reasons, migratedFrom: version === PROGRESS_VERSION ? null : version };
}

export function emptyProgress(now = 0): Progress {
  return { version: 2, quizzes: {}, drills: {}, exams: [], updatedAt: now };
}

function scoreOf(questions: Record<string, QuestionRecord>): number {
  return Object.values(questions).filter((q) => q.correct).length;
}

// ------------------------------------------------------------------ storage

/** The subset of the Web Storage API used here (localStorage, or a stand-in). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** An in-memory storage, used when localStorage is unavailable (private mode, disabled) and in tests. */
export function memoryStorage(): StorageLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, String(v)),
    removeItem: (k) => void data.delete(k),
  };
}

let fallback: StorageLike | null = null;
/** window.localStorage when it works, else an in-memory stand-in (progress then lasts the page's life). */
export function browserStorage(): StorageLike {
  try {
    const ls = globalThis.localStorage;
    const probe = '__netlab_probe__';
    ls.setItem(probe, '1');
    ls.removeItem(probe);
    return ls;
  } catch {
    return (fallback ??= memoryStorage());
  }
}

export interface LoadResult {
  progress: Progress;
  /** a message for the learner when saved data could not be (fully) read, else null */
  notice: string | null;
}

/** Load progress; unreadable data is set aside under BACKUP_KEY and reported in `notice`. */
export function loadProgress(storage: StorageLike): LoadResult {
  let text: string | null;
  try {
    text = storage.getItem(PROGRESS_KEY);
  } catch {
    return { progress: emptyProgress(), notice: 'Your saved progress could not be read (storage is not available). Progress will not be kept after this page closes.' };
  }
  if (text === null) return { progress: emptyProgress(), notice: null };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  const r = raw === undefined ? ({ ok: false, error: 'it is not valid JSON' } as const) : parseProgress(raw);
  if (!r.ok) {
    try {
      storage.setItem(BACKUP_KEY, text);
      storage.removeItem(PROGRESS_KEY);
    } catch {
      /* storage full or gone: nothing more to do */
    }
    return { progress: emptyProgress(), notice: `Your saved progress could not be read (${r.error}), so it was set aside and you start afresh.` };
  }
  if (r.dropped.length) {
    return { progress: r.progress, notice: `Part of your saved progress could not be read and was ignored: ${r.dropped.join(', ')}.` };
  }
  return { progress: r.progress, notice: null };
}

/** Save progress; returns false when storage refused (quota, disabled). */
export function saveProgress(storage: StorageLike, progress: Progress): boolean {
  try {
    storage.setItem(PROGRESS_KEY, JSON.stringify(progress));
    return true;
  } catch {
    return false;
  }
}

/**
 * Read-modify-write: load the latest saved progress (another tab may have
 * written since), apply `fn`, save. Returns the new progress.
 */
export function updateProgress(storage: StorageLike, fn: (p: Progress) => void): Progress {
  const { progress } = loadProgress(storage);
  fn(progress);
  saveProgress(storage, progress);
  return progress;
}

// ------------------------------------------------------------------ quiz records

function clipAnswer(answer: StoredAnswer | null): StoredAnswer | null {
  if (answer === null) return null;
  if (Array.isArray(answer)) return answer.slice(0, 50).map((a) => a.slice(0, 200));
  return answer.slice(0, MAX_ANSWER_CHARS);
}

function chapterOf(p: Progress, chapter: string, total: number, now: number): ChapterRecord {
  const ch = (p.quizzes[chapter] ??= { questions: {}, score: 0, total, updatedAt: now });
  ch.total = total;
  return ch;
}

export interface QuizAttempt {
  chapter: string;
  question: string;
  correct: boolean;
  answer: StoredAnswer | null;
  /** number of questions in the chapter's quiz */
  total: number;
  now: number;
}

/** Record a checked answer (counts one attempt). */
export function recordQuizAttempt(p: Progress, a: QuizAttempt): Progress {
  const ch = chapterOf(p, a.chapter, a.total, a.now);
  const prev = ch.questions[a.question];
  ch.questions[a.question] = {
    attempts: (prev?.attempts ?? 0) + 1,
    correct: a.correct,
    lastAnswer: clipAnswer(a.answer),
    revealed: prev?.revealed ?? false,
    updatedAt: a.now,
  };
  ch.score = scoreOf(ch.questions);
  ch.updatedAt = a.now;
  p.updatedAt = Math.max(p.updatedAt, a.now);
  return p;
}

/** Record that the learner revealed a question's answer (no attempt counted). */
export function recordReveal(p: Progress, chapter: string, question: string, total: number, now: number): Progress {
  const ch = chapterOf(p, chapter, total, now);
  const prev = ch.questions[question];
  ch.questions[question] = { attempts: prev?.attempts ?? 0, correct: prev?.correct ?? false, lastAnswer: prev?.lastAnswer ?? null, revealed: true, updatedAt: now };
  ch.score = scoreOf(ch.questions);
  ch.updatedAt = now;
  p.updatedAt = Math.max(p.updatedAt, now);
  return p;
}

/** A chapter's score against the questions it has now (records of removed questions do not count). */
export function chapterScore(p: Progress, chapter: string, questionIds?: readonly string[]): { score: number; answered: number; total: number } {
  const ch = p.quizzes[chapter];
  if (!ch) return { score: 0, answered: 0, total: questionIds?.length ?? 0 };
  const ids = questionIds ?? Object.keys(ch.questions);
  let score = 0;
  let answered = 0;
  for (const id of ids) {
    const q = ch.questions[id];
    if (!q) continue;
    if (q.attempts > 0) answered++;
    if (q.correct) score++;
  }
  return { score, answered, total: questionIds?.length ?? ch.total };
}

// ------------------------------------------------------------------ merge, export, import

function newer<T extends { updatedAt?: number }>(a: T, b: T): T {
  return (b.updatedAt ?? 0) > (a.updatedAt ?? 0) ? b : a;
}

function mergeQuestion(a: QuestionRecord, b: QuestionRecord): QuestionRecord {
  const base = newer(a, b);
  return { ...base, attempts: Math.max(a.attempts, b.attempts), revealed: a.revealed || b.revealed, lastAnswer: base.lastAnswer };
}

function mergeChapter(a: ChapterRecord, b: ChapterRecord): ChapterRecord {
  const questions: Record<string, QuestionRecord> = { ...a.questions };
  for (const [id, rec] of Object.entries(b.questions)) questions[id] = questions[id] ? mergeQuestion(questions[id]!, rec) : rec;
  const base = newer(a, b);
  return { questions, score: scoreOf(questions), total: base.total, updatedAt: Math.max(a.updatedAt, b.updatedAt) };
}

/**
 * Merge two progress documents (import into the current one). Per question
 * the newer record wins and attempts never go down; drills keep the newer
 * record; exams are united by id. Merging a document into itself changes nothing.
 */
export function mergeProgress(a: Progress, b: Progress): Progress {
  const out = emptyProgress(Math.max(a.updatedAt, b.updatedAt));
  const chapters = new Set([...Object.keys(a.quizzes), ...Object.keys(b.quizzes)]);
  for (const c of [...chapters].sort()) {
    const x = a.quizzes[c];
    const y = b.quizzes[c];
    out.quizzes[c] = x && y ? mergeChapter(x, y) : structuredClone((x ?? y)!);
  }
  const drills = new Set([...Object.keys(a.drills), ...Object.keys(b.drills)]);
  for (const d of [...drills].sort()) {
    const x = a.drills[d];
    const y = b.drills[d];
    out.drills[d] = structuredClone(x && y ? mergeDrillRecords(x, y) : (x ?? y)!);
  }
  const seen = new Set<string>();
  for (const e of [...a.exams, ...b.exams]) {
    const key = e.id ?? JSON.stringify(e);
    if (seen.has(key)) continue;
    seen.add(key);
    out.exams.push(structuredClone(e));
  }
  return out;
}

/** The text of an export file. */
export function exportProgress(p: Progress, now = Date.now()): string {
  return JSON.stringify({ ...p, app: 'netlab', exportedAt: new Date(now).toISOString() }, null, 2) + '\n';
}

export type ImportResult =
  | { ok: true; progress: Progress; /** a sentence for the learner */ summary: string }
  | { ok: false; error: string };

/** Validate an export file and merge it into the current progress. */
export function importProgress(current: Progress, text: string): ImportResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: 'This file is not a netlab progress export: it is not valid JSON.' };
  }
  let r: ParseResult;
  try {
    r = parseProgress(raw);
  } catch {
    // a document nested too deeply for the validator (or any other surprise) is refused, not thrown
    return { ok: false, error: 'This file could not be imported: its content is damaged.' };
  }
  if (!r.ok) return { ok: false, error: `This file could not be imported: ${r.error}.` };
  // an export file is all or nothing: a damaged entry means the file was not written by netlab as it stands
  if (r.reasons.length) return { ok: false, error: `This file could not be imported: some entries are damaged (${r.reasons.slice(0, 3).join('; ')}${r.reasons.length > 3 ? '; …' : ''}).` };
  const merged = mergeProgress(current, r.progress);
  const chapters = Object.keys(r.progress.quizzes).length;
  const drills = Object.keys(r.progress.drills).length;
  let summary = `Imported progress for ${chapters} chapter${chapters === 1 ? '' : 's'}`;
  if (drills) summary += ` and ${drills} drill${drills === 1 ? '' : 's'}`;
  summary += '.';
  return { ok: true, progress: merged, summary };
}

// The quiz model: a chapter's question bank is typed data (one file per
// chapter in ./banks), checked by the zod schema in ./schema.ts at build time.
//
// Four kinds of question:
//   single    one right option among several (radio buttons)
//   multiple  a set of right options (check boxes), partial feedback
//   text      a short typed answer, compared after an explicit normalisation rule
//   number    a typed number, with an optional tolerance and unit
//   command   shell lines run in a fresh copy of a scenario; a predicate over the
//             resulting simulated state (and outputs) decides, never the spelling
//
// Everything but a command question's `check` is plain JSON, so the page can
// carry it to the browser (see ./public.ts); the predicates stay in code and
// run where the simulated shell runs (the grader worker, the tests).
import type { World } from '../../sim/world';
import type { HostId } from '../../sim/types';
import type { CommandRun, ProbeFrom } from '../checks';
import type { CompetencyId } from '../curriculum';

/** Text shown to the learner. Inline `code` in backticks is rendered as <code>; nothing else is interpreted. */
export type RichText = string;

export interface ChoiceOption {
  /** stable id, unique inside the question ("a", "b", ... or a word) */
  id: string;
  text: RichText;
  /** optional feedback shown when this option was chosen and is wrong (or missed, for multiple) */
  feedback?: RichText;
}

interface QuestionBase {
  /** stable id, unique inside the bank: progress is stored under it */
  id: string;
  prompt: RichText;
  /** why the answer is right: shown after Check and on Reveal; required */
  explanation: RichText;
  /** the CKA competencies it tests (src/labs/curriculum.ts), for the curriculum map */
  competencies?: CompetencyId[];
}

export interface SingleChoiceQuestion extends QuestionBase {
  kind: 'single';
  options: ChoiceOption[];
  /** id of the right option */
  answer: string;
}

export interface MultipleChoiceQuestion extends QuestionBase {
  kind: 'multiple';
  options: ChoiceOption[];
  /** ids of all the right options (at least one) */
  answers: string[];
}

/**
 * How a typed answer is normalised before comparison. Every text question
 * states its rule explicitly (no hidden defaults).
 */
export interface TextNormalisation {
  /** 'insensitive' lower-cases both sides */
  case: 'sensitive' | 'insensitive';
  /** 'trim': strip both ends; 'collapse': trim and squeeze runs of white space to one space; 'remove': drop all white space */
  spaces: 'trim' | 'collapse' | 'remove';
  /** ignore one trailing dot (DNS names: `example.com.`) */
  trailingDot?: boolean;
  /** ignore quotes wrapping the whole answer ('...' or "...") */
  quotes?: boolean;
}

export interface TextQuestion extends QuestionBase {
  kind: 'text';
  normalise: TextNormalisation;
  /** accepted answers, normalised with the same rule as the input; the first is shown as "the" answer */
  accept: string[];
  /** further accepted variants as regular-expression sources, matched against the whole normalised input */
  acceptPatterns?: string[];
  /** targeted feedback for known wrong answers (normalised the same way) */
  wrong?: { answer: string; feedback: RichText }[];
  placeholder?: string;
}

export interface NumberQuestion extends QuestionBase {
  kind: 'number';
  answer: number;
  /** accepted absolute difference (default 0) */
  tolerance?: number;
  /** optional unit the learner may type after the number ("ms", "%") */
  unit?: string;
  wrong?: { answer: number; feedback: RichText }[];
}

/** One command line as the grader ran it (src/labs/checks.ts). */
export type { CommandRun };

export interface CheckContext {
  /** a copy of the simulated world after the learner's lines ran (read it: changing it changes nothing) */
  world: World;
  /** a copy of the world before the learner's lines ran */
  start: World;
  /** the question's host (the one the terminal was attached to, whatever host an ssh login left it on) */
  host: HostId;
  /** the learner's lines, in order, with their merged output and exit codes (what the learner's shell printed: never an expected value) */
  runs: CommandRun[];
  /**
   * Run a line as the grader, in a fresh shell (no learner functions, aliases
   * or variables) on a copy of the world after the learner's lines, on the
   * question's host or the one named: compute expected values with it.
   */
  probe(line: string, from?: ProbeFrom): Promise<CommandRun>;
}

export type CheckResult = { ok: true; message?: RichText } | { ok: false; hint: RichText };

export interface CommandQuestion extends QuestionBase {
  kind: 'command';
  /** scenario name (src/labs/scenarios/index.ts) the learner starts from, fresh for every check */
  scenario: string;
  /** host of the scenario the terminal is attached to (default: the scenario's first host) */
  host?: string;
  /**
   * Correct command sequences (one string per line). The first is the model
   * answer shown on Reveal; the tests run every one of them, and they must be
   * genuinely different ways to reach the goal (at least two).
   */
  solutions: string[][];
  /** wrong sequences the tests check fail (the empty answer is always checked too) */
  wrong: string[][];
  /** the predicate: over the final state and the outputs */
  check(ctx: CheckContext): CheckResult | Promise<CheckResult>;
  placeholder?: string;
}

export type Question = SingleChoiceQuestion | MultipleChoiceQuestion | TextQuestion | NumberQuestion | CommandQuestion;
export type QuestionKind = Question['kind'];

export interface QuizBank {
  /** chapter slug, as in the URL (/routing/) and in <Quiz chapter="routing" /> */
  chapter: string;
  /** chapter title, for the Progress page */
  title: string;
  questions: Question[];
}

/** Identity helper that gives a bank file its type (and inference for predicates). */
export function defineBank(bank: QuizBank): QuizBank {
  return bank;
}

/** A learner's answer as the UI collects it. */
export type Answer = string | string[];

export interface Grade {
  correct: boolean;
  /** what to tell the learner beyond right/wrong (partial feedback, a targeted hint) */
  feedback: RichText | null;
  /** multiple choice: how many right options were picked, of how many; and how many wrong ones were picked */
  partial?: { found: number; of: number; wrongPicked: number };
}

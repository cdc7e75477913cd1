// The JSON view of a bank that the page carries to the browser: everything a
// question needs to render and grade, minus the command predicates (code).
import type {
  ChoiceOption,
  MultipleChoiceQuestion,
  NumberQuestion,
  Question,
  QuizBank,
  SingleChoiceQuestion,
  TextQuestion,
} from './types';

export interface PublicCommandQuestion {
  kind: 'command';
  id: string;
  prompt: string;
  explanation: string;
  scenario: string;
  host: string | null;
  /** the correct sequences, the first being the model answer */
  solutions: string[][];
  placeholder?: string;
}

export type PublicQuestion = SingleChoiceQuestion | MultipleChoiceQuestion | TextQuestion | NumberQuestion | PublicCommandQuestion;

export interface PublicBank {
  chapter: string;
  title: string;
  questions: PublicQuestion[];
}

function copyOptions(options: ChoiceOption[]): ChoiceOption[] {
  return options.map((o) => ({ ...o }));
}

export function toPublicQuestion(q: Question): PublicQuestion {
  switch (q.kind) {
    case 'single':
      return { ...q, options: copyOptions(q.options) };
    case 'multiple':
      return { ...q, options: copyOptions(q.options), answers: [...q.answers] };
    case 'text':
      return { ...q, accept: [...q.accept], normalise: { ...q.normalise } };
    case 'number':
      return { ...q };
    case 'command': {
      const p: PublicCommandQuestion = {
        kind: 'command',
        id: q.id,
        prompt: q.prompt,
        explanation: q.explanation,
        scenario: q.scenario,
        host: q.host ?? null,
        solutions: q.solutions.map((s) => [...s]),
      };
      if (q.placeholder !== undefined) p.placeholder = q.placeholder;
      return p;
    }
  }
}

export function toPublicBank(bank: QuizBank): PublicBank {
  return { chapter: bank.chapter, title: bank.title, questions: bank.questions.map(toPublicQuestion) };
}

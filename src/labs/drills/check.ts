// The drills' checker helpers now live in the course's one grading library,
// src/labs/checks.ts (shared with the quizzes). This path re-exports it so
// that drill files written against it keep compiling; new code imports
// '../../checks' (from a drill file) directly.
export * from '../checks';

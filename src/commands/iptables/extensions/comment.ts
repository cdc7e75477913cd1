// libxt_comment: --comment TEXT (at most 255 characters).
import type { ExtDef } from '../extension';
import { PARAMETER_PROBLEM, saveString, xtError } from '../xtables';

export const commentExt: ExtDef = {
  name: 'comment',
  kind: 'match',
  opts: [{ name: 'comment', hasArg: 1, key: 'comment', mand: true }],
  help: 'comment match options:\n--comment COMMENT             Attach a comment to a rule\n',
  parse(_env, x, _opt, arg) {
    if (arg.length > 255) xtError(PARAMETER_PROBLEM, 'comment: Argument must have a maximum length of 255 characters\n');
    x.options.comment = arg;
  },
  print(_env, x) {
    return ` /* ${x.options.comment ?? ''} */`;
  },
  save(x) {
    return ` --comment${saveString(x.options.comment ?? '')}`;
  },
};

// The checks each verb makes before it talks to the API server (missing arguments, required flags), in
// kubectl's words.
import type { Ctx } from './index';
import { ordered, type CmdResult } from '../types';
import { seeHelp } from './index';
import { UsageError } from './generators';

/** kubectl run attaches (run.go's Complete): with --attach, or with -i unless --attach=false says otherwise. */
export function runAttaches(ctx: Ctx): boolean {
  return ctx.flags.has('attach') ? ctx.flags.bool('attach') : ctx.flags.bool('stdin');
}

/**
 * kubectl run's checks before it talks to a server, in v1.33's order (captured: fixture 34-run-attach): a name,
 * -t needs -i, --expose needs --port, the restart policy, --rm needs an attached container, no dry run when
 * attached.
 */
function runChecks(ctx: Ctx): void {
  const f = ctx.flags;
  if (ctx.args.length === 0) throw new UsageError('NAME is required for run', true);
  if (f.bool('tty') && !f.bool('stdin')) throw new UsageError('-i/--stdin is required for containers with -t/--tty=true', true);
  if (f.bool('expose') && !f.str('port')) throw new UsageError('--port must be set when exposing a service', true);
  const restart = f.str('restart') || 'Always';
  if (!['Always', 'OnFailure', 'Never'].includes(restart)) throw new UsageError(`invalid restart policy: ${restart}`, true);
  const attach = runAttaches(ctx);
  if (f.bool('rm') && !attach) throw new UsageError('--rm should only be used for attached containers', true);
  const dry = f.str('dry-run');
  if (attach && dry !== '' && dry !== 'none') throw new UsageError("--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)", true);
}

const RESOURCES_NEEDED = "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

export function precheck(ctx: Ctx): CmdResult | null {
  const f = ctx.flags;
  const noArgs = ctx.args.length === 0;
  const noFiles = !f.list('filename').length && !(f.specs.some((s) => s.name === 'kustomize') && f.str('kustomize'));
  const err = (msg: string, help = false) => ordered([[2, `error: ${msg}\n${help ? seeHelp(ctx.path) : ''}`]], 1);
  switch (ctx.path) {
    case 'get':
      if (noArgs && noFiles) return ordered([[2, `You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\n${seeHelp('get')}`]], 1);
      break;
    case 'describe':
      if (noArgs && noFiles) return err('You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.');
      break;
    case 'explain':
      if (noArgs) return err('You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.');
      break;
    case 'apply':
    case 'replace':
      if (noFiles) return err('must specify one of -f and -k');
      break;
    case 'delete':
    case 'expose':
    case 'edit':
    case 'set image':
      if (noArgs && noFiles) return err(RESOURCES_NEEDED);
      break;
    case 'label':
    case 'annotate':
      if (noArgs && noFiles) return err('one or more resources must be specified as <resource> <name> or <resource>/<name>');
      break;
    case 'scale':
      if (!f.has('replicas')) return err('required flag(s) "replicas" not set');
      break;
    case 'run':
      if (!f.has('image')) return err('required flag(s) "image" not set');
      runChecks(ctx);
      break;
    case 'exec':
      if (noArgs && noFiles) return err('pod, type/name or --filename must be specified');
      break;
    case 'logs':
      // -l selects the pods instead of an argument
      if (noArgs && !f.str('selector')) return err("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command", true);
      break;
    case 'wait':
      if (!f.str('for')) return err('unrecognized condition: ""');
      break;
  }
  return null;
}

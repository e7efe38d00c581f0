// The argument grammar of `fjord image set`, the same as `kustomize edit set image`:
//   NAME=NEWNAME[:TAG][@DIGEST]   NAME:TAG[@DIGEST]   NAME@DIGEST
// NAME is the image name the manifests use (the `name` of an `images:` entry). `*` as NEWNAME, TAG or
// DIGEST keeps the value the entry already has. As in kustomize, an argument describes the whole
// entry: a part it leaves out is removed from the entry (`app:1.2` drops a newName; use `app=*:1.2`).
import { IMAGE_SET_EXIT, ImageSetError } from './errors.js';

/** Keeps the entry's current value (NEWNAME, TAG or DIGEST). */
export const KEEP = '*';

/** One `images:` entry of a kustomization: `name` is matched, the others replace parts of the image. */
export interface ImageEntry {
  readonly name: string;
  readonly newName?: string;
  readonly newTag?: string;
  readonly digest?: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._/:-]*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[A-Za-z0-9=_-]+$/;
const FORMS = 'use NAME=NEWNAME[:TAG][@DIGEST], NAME:TAG[@DIGEST] or NAME@DIGEST';

function bad(arg: string, what: string): ImageSetError {
  return new ImageSetError(`image argument "${arg}": ${what}`, IMAGE_SET_EXIT.badArgument);
}

interface Reference { readonly name: string; readonly tag?: string; readonly digest?: string }

/** Splits `repo[:tag][@digest]`; a `host:port/` prefix is not mistaken for a tag. */
export function splitReference(ref: string): Reference {
  const slash = ref.indexOf('/');
  const from = slash > 0 ? slash : 0;
  const at = ref.indexOf('@', from);
  const colon = ref.indexOf(':', from);
  if (at >= 0 && (colon < 0 || at < colon)) return { name: ref.slice(0, at), digest: ref.slice(at + 1) };
  if (colon < 0) return { name: ref };
  if (at < 0) return { name: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { name: ref.slice(0, colon), tag: ref.slice(colon + 1, at), digest: ref.slice(at + 1) };
}

function checkName(arg: string, name: string, role: string, keepAllowed: boolean): void {
  if (name === '') throw bad(arg, `the ${role} is empty; ${FORMS}`);
  if (name === KEEP) {
    if (!keepAllowed) throw bad(arg, `"*" (keep the current value) can stand for NEWNAME, TAG or DIGEST, not for the ${role}`);
    return;
  }
  if (!NAME.test(name)) throw bad(arg, `the ${role} "${name}" is not an image name (letters, digits, '.', '_', '-', '/' and a registry's ':port')`);
}

function checkParts(arg: string, ref: Reference): void {
  if (ref.tag !== undefined && ref.tag !== KEEP && !TAG.test(ref.tag)) {
    throw bad(arg, ref.tag === '' ? 'the tag after ":" is empty' : `the tag "${ref.tag}" may contain only letters, digits, '.', '_' and '-' (at most 128, not starting with '.' or '-')`);
  }
  if (ref.digest !== undefined && ref.digest !== KEEP && !DIGEST.test(ref.digest)) {
    throw bad(arg, ref.digest === '' ? 'the digest after "@" is empty' : `the digest "${ref.digest}" is not ALGORITHM:HEX (e.g. sha256:3b1c…)`);
  }
}

function entry(name: string, newName: string | undefined, ref: Reference): ImageEntry {
  return {
    name,
    ...(newName !== undefined ? { newName } : {}),
    ...(ref.tag !== undefined ? { newTag: ref.tag } : {}),
    ...(ref.digest !== undefined ? { digest: ref.digest } : {}),
  };
}

/** Parses one argument; throws an ImageSetError (exit code 2) naming the argument and what is wrong. */
export function parseImageArgument(arg: string): ImageEntry {
  if (arg.trim() === '') throw bad(arg, `it is empty; ${FORMS}`);
  if (/\s/.test(arg)) throw bad(arg, 'it contains white space');
  const eq = arg.indexOf('=');
  if (eq >= 0) {
    const name = arg.slice(0, eq);
    const value = arg.slice(eq + 1);
    checkName(arg, name, 'image name before "="', false);
    if (value === '') throw bad(arg, `nothing after "="; ${FORMS}`);
    const ref = splitReference(value);
    checkName(arg, ref.name, 'new image name after "="', true);
    checkParts(arg, ref);
    return entry(name, ref.name, ref);
  }
  const ref = splitReference(arg);
  if (ref.tag === undefined && ref.digest === undefined) throw bad(arg, `nothing to set (no "=", ":TAG" or "@DIGEST"); ${FORMS}`);
  checkName(arg, ref.name, 'image name', false);
  checkParts(arg, ref);
  return entry(ref.name, undefined, ref);
}

/** Parses every argument; a later argument for the same NAME wins, as in kustomize. */
export function parseImageArguments(args: readonly string[]): ImageEntry[] {
  if (args.length === 0) throw new ImageSetError(`no image given; ${FORMS}`, IMAGE_SET_EXIT.badArgument);
  const byName = new Map<string, ImageEntry>();
  for (const a of args) {
    const e = parseImageArgument(a);
    byName.delete(e.name);
    byName.set(e.name, e);
  }
  return [...byName.values()];
}

/** The image a Deployment ends up with, e.g. `ghcr.io/acme/payment-service:1.4.2`. */
export function formatImage(e: ImageEntry): string {
  return `${e.newName ?? e.name}${e.newTag !== undefined ? `:${e.newTag}` : ''}${e.digest !== undefined ? `@${e.digest}` : ''}`;
}

/** Resolves `*` against the entry already in the file (none: the part is left out, as in kustomize). */
export function resolveKeep(wanted: ImageEntry, current: ImageEntry | undefined): ImageEntry {
  const pick = (v: string | undefined, cur: string | undefined): string | undefined => (v === KEEP ? cur : v);
  const newName = pick(wanted.newName, current?.newName);
  const newTag = pick(wanted.newTag, current?.newTag);
  const digest = pick(wanted.digest, current?.digest);
  return {
    name: wanted.name,
    ...(newName !== undefined ? { newName } : {}),
    ...(newTag !== undefined ? { newTag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

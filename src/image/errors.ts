// What can go wrong in `fjord image set`, as data: each failure a script can tell apart has its own
// exit code, so CI can react (retry on a push race, fail loudly on a bad argument).
export const IMAGE_SET_EXIT = {
  /** Anything not listed below (a git command failed, the network is down, …). */
  failed: 1,
  /** An image argument or an option is malformed. */
  badArgument: 2,
  /** --dir has no kustomization file, several, or one that is not valid YAML. */
  kustomization: 3,
  /** --commit or --push outside a git working tree, or on a detached HEAD. */
  notARepository: 4,
  /** --commit on a working tree with other uncommitted changes (without --allow-dirty). */
  dirtyTree: 5,
  /** The push was rejected again after rebasing onto the remote (or the rebase conflicted). */
  pushRejected: 6,
} as const;

export type ImageSetExit = (typeof IMAGE_SET_EXIT)[keyof typeof IMAGE_SET_EXIT];

export class ImageSetError extends Error {
  constructor(message: string, readonly exitCode: ImageSetExit, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ImageSetError';
  }
}

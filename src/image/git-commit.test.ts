// Credentials in a remote's URL never reach what `fjord image set` prints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactMessage } from './git-commit.js';

test('user:password@ in any URL and the listed secrets are blanked out of messages', () => {
  const msg = "fatal: unable to access 'https://ci-bot:ghp_s3cret@github.example/acme/config.git/': 403; retry ssh://git@host/x and token ghp_s3cret";
  const out = redactMessage(msg, ['ghp_s3cret']);
  assert.equal(out, "fatal: unable to access 'https://***@github.example/acme/config.git/': 403; retry ssh://***@host/x and token ***");
  assert.equal(redactMessage('git push to origin refs/heads/main failed'), 'git push to origin refs/heads/main failed');
});

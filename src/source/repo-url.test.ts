import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gitFacingUrl, normalizeRepoUrl, redactUrl, redactUrlsIn, validateRepoUrl } from './repo-url.js';

test('normalizeRepoUrl: one key for the spellings of one repository', () => {
  const same: readonly (readonly [string, string])[] = [
    ['https://GitHub.com/Org/Repo.git', 'https://github.com/Org/Repo'],
    ['https://github.com/Org/Repo/', 'https://github.com/Org/Repo'],
    ['https://github.com/Org/Repo.git/', 'https://github.com/Org/Repo'],
    ['https://user:secret@github.com/Org/Repo', 'https://github.com/Org/Repo'],
    ['https://github.com:443/Org/Repo', 'https://github.com/Org/Repo'],
    ['HTTP://Example.com:8080/a/b', 'http://example.com:8080/a/b'],
    ['git@GitHub.com:org/repo.git', 'ssh://git@github.com/org/repo'],
    ['ssh://git@github.com/org/repo', 'ssh://git@github.com/org/repo'],
    ['ssh://git@github.com:22/org/repo.git', 'ssh://git@github.com/org/repo'],
    ['ssh://git@github.com:2222/org/repo.git', 'ssh://git@github.com:2222/org/repo'],
    ['git@127.1.2.3:org/repo.git', 'ssh://git@127.1.2.3/org/repo'],
    ['file:///srv/git/repo.git', 'file:///srv/git/repo'],
  ];
  for (const [input, want] of same) assert.equal(normalizeRepoUrl(input), want, input);
  assert.equal(normalizeRepoUrl('git@host:org/repo'), normalizeRepoUrl('ssh://git@HOST/org/repo.git/'));
  assert.notEqual(normalizeRepoUrl('https://host/org/repo'), normalizeRepoUrl('http://host/org/repo'));
});

test('redactUrl: no user:password for http(s), only the user for ssh', () => {
  assert.equal(redactUrl('https://user:s3cret@host/org/repo.git'), 'https://host/org/repo.git');
  assert.equal(redactUrl('https://ghp_token123@host/org/repo'), 'https://host/org/repo');
  assert.equal(redactUrl('ssh://git:pw@host/org/repo'), 'ssh://git@host/org/repo');
  assert.equal(redactUrl('ssh://git@host/org/repo'), 'ssh://git@host/org/repo');
  assert.equal(redactUrl('git@host:org/repo.git'), 'git@host:org/repo.git');
  assert.equal(redactUrl('https://host/org/repo'), 'https://host/org/repo');
  const text = "fatal: Authentication failed for 'https://me:hunter2@host/x.git/' and http://a:b@c/d";
  assert.equal(redactUrlsIn(text), "fatal: Authentication failed for 'https://host/x.git/' and http://c/d");
});

test('validateRepoUrl accepts https, http, ssh and scp-like URLs', () => {
  for (const url of [
    'https://github.com/org/repo.git', 'http://127.0.0.1:8080/org/repo', 'ssh://git@host:2222/org/repo',
    'git@github.com:org/repo.git', 'host:org/repo', 'git@[::1]:org/repo', 'https://user:pw@host/repo',
  ]) assert.doesNotThrow(() => { validateRepoUrl(url); }, url);
});

test('validateRepoUrl refuses other transports, option-like and malformed URLs, naming the reason', () => {
  const refused: readonly (readonly [string, RegExp])[] = [
    ['', /empty/],
    ['-uhttps://host/repo', /starts with '-'/],
    ['--upload-pack=touch /tmp/x', /whitespace|starts with '-'/],
    ['ext::sh -c touch% /tmp/pwned', /whitespace|transport helpers/],
    ['ext::sh', /transport helpers/],
    ['fd::17', /transport helpers/],
    ['git://host/repo', /git:\/\/ transport/],
    ['ftp://host/repo', /ftp:\/\/ transport/],
    ['file:///srv/repo', /file:\/\/ URLs are not allowed/],
    ['/srv/git/repo', /expected https/],
    ['./repo', /expected https/],
    ['https://host/repo name', /whitespace/],
    ['https://host/repo\nx', /whitespace or control/],
    ['https://host/a\u0000', /control/],
    ['ssh://-oProxyCommand=x/repo', /starts with '-'/],
    ['-oProxyCommand=x:repo', /starts with '-'/],
    ['https://host', /no repository path/],
    ['https://host/', /no repository path/],
  ];
  for (const [url, reason] of refused) {
    assert.throws(() => { validateRepoUrl(url); }, (err: Error) => {
      assert.match(err.message, /^invalid repository URL "/);
      assert.match(err.message, reason, url);
      return true;
    }, url);
  }
});

test('validateRepoUrl allows file:// only when asked, and never puts the password in its message', () => {
  assert.doesNotThrow(() => { validateRepoUrl('file:///srv/repo', { allowFile: true }); });
  assert.throws(() => { validateRepoUrl('git://user:hunter2@host/repo'); }, (err: Error) => !err.message.includes('hunter2'));
});

test('gitFacingUrl drops http(s) userinfo and leaves ssh URLs alone', () => {
  assert.equal(gitFacingUrl('https://user:pw@host/org/repo.git'), 'https://host/org/repo.git');
  assert.equal(gitFacingUrl('git@host:org/repo.git'), 'git@host:org/repo.git');
  assert.equal(gitFacingUrl('ssh://git@host:2222/org/repo'), 'ssh://git@host:2222/org/repo');
});

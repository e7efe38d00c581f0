// The argument grammar of `fjord image set` matches `kustomize edit set image`, and a bad argument is
// named together with what is wrong with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ImageSetError } from './errors.js';
import { formatImage, parseImageArgument, parseImageArguments, resolveKeep, splitReference } from './image-ref.js';

const D = 'sha256:24a0c4b4a4c0eb97a1aabb8e29f18e917d05abfe1b7a7c07857230879ce7d3d3';

test('each form of kustomize edit set image parses to the same entry kustomize writes', () => {
  const cases: [string, object][] = [
    ['payment-service=ghcr.io/acme/payment-service:1.4.2', { name: 'payment-service', newName: 'ghcr.io/acme/payment-service', newTag: '1.4.2' }],
    [`my-app=my-registry/my-app@${D}`, { name: 'my-app', newName: 'my-registry/my-app', digest: D }],
    [`app=reg/app:1.0@${D}`, { name: 'app', newName: 'reg/app', newTag: '1.0', digest: D }],
    ['mysql=mariadb', { name: 'mysql', newName: 'mariadb' }],
    ['node:8.15.0', { name: 'node', newTag: '8.15.0' }],
    [`alpine@${D}`, { name: 'alpine', digest: D }],
    [`alpine:3.20@${D}`, { name: 'alpine', newTag: '3.20', digest: D }],
    ['nginx=localhost:5000/my-project/nginx', { name: 'nginx', newName: 'localhost:5000/my-project/nginx' }],
    ['nginx=localhost:5000/my-project/nginx:dev-01', { name: 'nginx', newName: 'localhost:5000/my-project/nginx', newTag: 'dev-01' }],
    ['localhost:5000/nginx:1.27', { name: 'localhost:5000/nginx', newTag: '1.27' }],
    ['app=*:v2', { name: 'app', newName: '*', newTag: 'v2' }],
    ['app=reg/app:*', { name: 'app', newName: 'reg/app', newTag: '*' }],
    ['app=reg/app@*', { name: 'app', newName: 'reg/app', digest: '*' }],
  ];
  for (const [arg, want] of cases) assert.deepEqual(parseImageArgument(arg), want, arg);
});

test('a bad argument names itself and what is wrong, with exit code 2', () => {
  const cases: [string, RegExp][] = [
    ['nginx', /"nginx": nothing to set/],
    ['', /"": it is empty/],
    ['=reg/app:1', /"=reg\/app:1": the image name before "=" is empty/],
    ['app=', /"app=": nothing after "="/],
    ['app:', /"app:": the tag after ":" is empty/],
    ['app:1.0 ', /white space/],
    ['app:-bad', /the tag "-bad" may contain only/],
    ['app:a+b', /the tag "a\+b" may contain only/],
    ['app@sha256', /the digest "sha256" is not ALGORITHM:HEX/],
    ['app@', /the digest after "@" is empty/],
    ['*:1.0', /"\*" \(keep the current value\) can stand for NEWNAME, TAG or DIGEST, not for the image name/],
    ['app=reg/ap p', /white space/],
    ['app=re!g/app:1', /the new image name after "=" "re!g\/app" is not an image name/],
  ];
  for (const [arg, re] of cases) {
    assert.throws(() => parseImageArgument(arg), (e: unknown) => e instanceof ImageSetError && e.exitCode === 2 && re.test(e.message), arg);
  }
  assert.throws(() => parseImageArguments([]), /no image given/);
});

test('a later argument for the same image wins; * keeps what the entry has, or drops the part for a new entry', () => {
  assert.deepEqual(parseImageArguments(['a:1', 'b:2', 'a:3']), [{ name: 'b', newTag: '2' }, { name: 'a', newTag: '3' }]);
  const current = { name: 'app', newName: 'reg/app', newTag: '1.0', digest: D };
  assert.deepEqual(resolveKeep(parseImageArgument('app=*:2.0'), current), { name: 'app', newName: 'reg/app', newTag: '2.0' });
  assert.deepEqual(resolveKeep(parseImageArgument('app=other/app@*'), current), { name: 'app', newName: 'other/app', digest: D });
  assert.deepEqual(resolveKeep(parseImageArgument('app=*:2.0'), undefined), { name: 'app', newTag: '2.0' });
  assert.deepEqual(resolveKeep(parseImageArgument('app:2.0'), current), { name: 'app', newTag: '2.0' });
});

test('splitReference does not take a registry port for a tag; formatImage shows the resulting image', () => {
  assert.deepEqual(splitReference('localhost:5000/app'), { name: 'localhost:5000/app' });
  assert.deepEqual(splitReference('localhost:5000/app:1'), { name: 'localhost:5000/app', tag: '1' });
  assert.equal(formatImage({ name: 'app', newName: 'ghcr.io/acme/app', newTag: '1.4.2' }), 'ghcr.io/acme/app:1.4.2');
  assert.equal(formatImage({ name: 'app', digest: D }), `app@${D}`);
});

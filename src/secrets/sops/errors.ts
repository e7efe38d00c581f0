// The one error SOPS decryption throws: it names the file in Git and never carries plaintext.

export class SopsError extends Error {
  constructor(message: string, readonly file: string, options?: ErrorOptions) {
    super(`${file}: ${message}`, options);
    this.name = 'SopsError';
  }
}

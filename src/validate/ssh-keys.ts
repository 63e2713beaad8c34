/**
 * An authorized_keys line as sshd reads it: optional options, then a key type, the base64 key blob
 * and an optional comment. The blob starts with its own type name (RFC 4253 §6.6: a uint32 length
 * and the name), which catches a truncated or mangled paste; a path such as ~/.ssh/id_ed25519.pub is
 * the commonest mistake, and would land on the node as a key that matches nothing.
 */
const KEY_TYPES = new Set([
  'ssh-ed25519',
  'ssh-rsa',
  'ssh-dss',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
  'ssh-ed25519-cert-v01@openssh.com',
  'ssh-rsa-cert-v01@openssh.com',
  'ecdsa-sha2-nistp256-cert-v01@openssh.com',
  'ecdsa-sha2-nistp384-cert-v01@openssh.com',
  'ecdsa-sha2-nistp521-cert-v01@openssh.com',
  'sk-ssh-ed25519-cert-v01@openssh.com',
  'sk-ecdsa-sha2-nistp256-cert-v01@openssh.com',
]);

export function sshKeyProblem(line: string): { message: string; hint: string } | undefined {
  const text = line.trim();
  if (/^(~|\.{0,2}\/|\$HOME)/.test(text) || /\.pub$/.test(text)) {
    return { message: `'${text}' looks like a file path, not a key`, hint: 'paste the key itself: the one line inside that file, e.g. `ssh-ed25519 AAAA… user@host`' };
  }
  const words = text.split(/\s+/);
  const at = words.findIndex((word) => KEY_TYPES.has(word));
  if (at < 0) {
    return { message: 'this is not an SSH public key: no key type such as ssh-ed25519, ecdsa-sha2-nistp256 or sk-ssh-ed25519@openssh.com', hint: 'paste the whole line of the .pub file, starting with its key type' };
  }
  const type = words[at]!;
  const blob = words[at + 1];
  if (blob === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) {
    return { message: `the ${type} key has no base64 key data after its type`, hint: 'paste the whole line of the .pub file' };
  }
  const bytes = Buffer.from(blob, 'base64');
  const length = bytes.length >= 4 ? bytes.readUInt32BE(0) : -1;
  if (length !== Buffer.byteLength(type) || bytes.subarray(4, 4 + length).toString('latin1') !== type) {
    return { message: `the ${type} key's data does not start with its type: the key is truncated or mangled`, hint: 'copy the key again from its .pub file, as one line' };
  }
  return undefined;
}

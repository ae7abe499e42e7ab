import type { CallSite, ParsedFile } from '../python/index.js';
import { callHit, DECODE_CALL, DYNAMIC_EXEC } from './context.js';
import type { Rule } from './types.js';

// The argument text of exec/eval/compile names a decoder: base64, zlib/lzma/bz2, hex, codecs (rot13), marshal,
// or a decryption (Fernet(key).decrypt(token), AES ... .decrypt): the code is kept encrypted in the package.
const DECODER_IN_ARGUMENT =
  /\b(b64decode|b32decode|b16decode|b85decode|a85decode|urlsafe_b64decode|decodebytes|decodestring|decompress|fromhex|unhexlify|a2b_base64|marshal\.loads|codecs\.decode|rot13|rot_13|decrypt|Fernet)\b/;

export const execDecodedPayload: Rule = {
  id: 'exec-decoded-payload',
  category: 'dynamic-code',
  severity: 'critical',
  description:
    'Executes code that is decoded or decrypted at run time (exec/eval/compile of base64, zlib, hex, rot13, marshal or Fernet/AES data).',
  rationale:
    'Hiding the real code in an encoded blob and executing it is how most malicious packages evade review; benign code has no reason to.',
  check: (file) =>
    file.calls
      .filter(
        (c) =>
          (DYNAMIC_EXEC.test(c.name) || c.name === 'compile') && (decoderByText(c) || decoderByCall(file, c)),
      )
      .map((c) => callHit(c, 'critical', `${c.name} of decoded data`)),
};

const decoderByText = (call: CallSite) => call.args.some((a) => DECODER_IN_ARGUMENT.test(a));

// Aliased decoders (from base64 import b64decode as d; exec(d(x))): a call on the same line, resolved to a
// decoder, whose text is inside one of exec's arguments.
const decoderByCall = (file: ParsedFile, call: CallSite) =>
  file.calls.some(
    (inner) =>
      inner !== call &&
      inner.line === call.line &&
      (DECODE_CALL.test(inner.name) || /(^|\.)decrypt$/.test(inner.name)) &&
      inner.name !== '<expr>.decode' &&
      call.args.some((a) => a.includes(inner.text)),
  );

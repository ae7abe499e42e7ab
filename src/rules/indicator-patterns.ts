// URL and endpoint patterns shared by the Python string rules and the text-file rules.
export const EXFIL_ENDPOINTS: [string, RegExp][] = [
  ['Discord webhook', /discord(app)?\.com\/api\/webhooks\//i],
  ['Telegram bot API', /api\.telegram\.org\/bot/i],
  ['Slack webhook', /hooks\.slack\.com\/services\//i],
  [
    'paste site',
    /\b(pastebin\.com|paste\.ee|hastebin\.com|ghostbin\.\w+|rentry\.co|pastie\.org|dpaste\.(com|org))\b/i,
  ],
  // Out-of-band testing hosts (Burp Collaborator, interactsh, DNS logs, canary tokens): a beacon's address.
  [
    'out-of-band callback host',
    /\b(oastify\.com|interactsh\.com|dnslog\.cn|ceye\.io|canarytokens\.(com|org)|requestcatcher\.com|beeceptor\.com|hookbin\.com)\b/i,
  ],
  [
    'file drop / tunnel',
    /\b(transfer\.sh|anonfiles\.com|file\.io|gofile\.io|ngrok\.io|ngrok-free\.app|requestbin|pipedream\.net|webhook\.site|interact\.sh|oast\.\w+|burpcollaborator\.net)\b/i,
  ],
];

// A dotted quad, or one written as a single decimal or hex number (http://3405803786/), behind any userinfo: the
// host is what follows the last @ (http://pypi.org@203.0.113.9/, http://a@b@203.0.113.9/), as urllib reads it.
const RAW_IP_URL =
  /\b(https?|ftp|tcp):\/\/([^/\s'"?#]*@)?((\d{1,3}\.){3}\d{1,3}(?!\.\d)|(\d{8,10}|0x[0-9a-f]{7,8})(?=[:/?#'"\s]|$))(:\d+)?/i;

export const SUSPICIOUS_URLS: [string, RegExp][] = [
  ['URL with a raw IP address', RAW_IP_URL],
  [
    'URL shortener',
    /\b(bit\.ly|tinyurl\.com|is\.gd|t\.co|goo\.gl|cutt\.ly|rb\.gy|shorturl\.at|tiny\.cc)\/\w/i,
  ],
  ['executable over plain HTTP', /\bhttp:\/\/[^\s'"]+\.(exe|dll|scr|msi|bat|ps1|sh|bin|elf|apk|jar|vbs)\b/i],
];

/** Loopback and private ranges are test fixtures and local services, not command-and-control servers. */
export const LOCAL_IP = /:\/\/([^/\s'"?#]*@)?(127\.|0\.0\.0\.0|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/;
const LOCAL_HOST = /^(127\.|0\.0\.0\.0|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/;

/** Whether the first raw-IP URL in `text` points at a loopback or private address (its host, not its userinfo). */
export function rawIpIsLocal(text: string): boolean {
  const host = RAW_IP_URL.exec(text)?.[3];
  if (host === undefined) return false;
  if (host.includes('.')) return LOCAL_HOST.test(host);
  const n = host.startsWith('0x') || host.startsWith('0X') ? Number.parseInt(host, 16) : Number(host);
  const dotted = [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
  return LOCAL_HOST.test(dotted);
}

// URLs and network indicators found in string literals and scripts: where code talks to, not whether.
import { EXFIL_ENDPOINTS, LOCAL_IP, SUSPICIOUS_URLS } from '../rules/indicator-patterns.js';

const URL = /\b(?:https?|ftp|wss?|tcp):\/\/[^\s'"<>`]+/gi;
const RAW_IP = /\b(?:\d{1,3}\.){3}\d{1,3}\b/;
const DOC_HOSTS =
  /^(?:[\w-]+\.)*(github\.com|githubusercontent\.com|python\.org|pypi\.org|readthedocs\.(io|org)|gitlab\.com|w3\.org|apache\.org|opensource\.org|gnu\.org|mozilla\.org|wikipedia\.org|sphinx-doc\.org|pythonhosted\.org|microsoft\.com|google\.com|stackoverflow\.com)$/i;

export class IndicatorStats {
  urls = 0;
  hosts = new Set<string>();
  otherHosts = new Set<string>();
  rawIpUrls = 0;
  rawIps = 0;
  shorteners = 0;
  plainHttpExecutables = 0;
  exfil = 0;
  pasteSites = 0;
  httpUrls = 0;
  earlyUrls = 0;

  addString(value: string, early: boolean): void {
    const sample = value.length > 20000 ? value.slice(0, 20000) : value;
    if (RAW_IP.test(sample) && !/^\d+\.\d+\.\d+\.\d+$/.test(sample.trim()) && !LOCAL_IP.test(`://${sample}`))
      this.rawIps++;
    if (!sample.includes('://')) return;
    for (const m of sample.matchAll(URL)) {
      this.urls++;
      if (early) this.earlyUrls++;
      const url = m[0];
      if (/^http:/i.test(url)) this.httpUrls++;
      let host = '';
      try {
        host = new globalThis.URL(url).hostname.toLowerCase();
      } catch {
        continue;
      }
      this.hosts.add(host);
      if (!DOC_HOSTS.test(host)) this.otherHosts.add(host);
      if (/^(\d{1,3}\.){3}\d{1,3}$/.test(host) && !LOCAL_IP.test(`://${host}`)) this.rawIpUrls++;
    }
    for (const [label, pattern] of SUSPICIOUS_URLS) {
      if (!pattern.test(sample)) continue;
      if (label.includes('shortener')) this.shorteners++;
      if (label.includes('plain HTTP')) this.plainHttpExecutables++;
    }
    for (const [label, pattern] of EXFIL_ENDPOINTS) {
      if (!pattern.test(sample)) continue;
      if (label === 'paste site') this.pasteSites++;
      else this.exfil++;
    }
  }

  toRecord(): Record<string, number> {
    return {
      'ioc.urls': this.urls,
      'ioc.urls_early': this.earlyUrls,
      'ioc.hosts': this.hosts.size,
      'ioc.other_hosts': this.otherHosts.size,
      'ioc.raw_ip_urls': this.rawIpUrls,
      'ioc.raw_ips': this.rawIps,
      'ioc.shorteners': this.shorteners,
      'ioc.http_executables': this.plainHttpExecutables,
      'ioc.exfil_endpoints': this.exfil,
      'ioc.paste_sites': this.pasteSites,
      'ioc.http_urls': this.httpUrls,
    };
  }
}

// Reads a process's /metrics the way Prometheus would. The text exposition format (version
// 0.0.4) is parsed strictly here: the npm parser tried (parse-prometheus-text-format 1.1.1)
// folds every labelled histogram into one unlabelled sample, which would hide exactly what
// these tests look for. A line this parser does not understand fails the test.

export interface ScrapedSample {
  labels: Record<string, string>;
  /** counters and gauges */
  value?: number;
  /** histograms: observations and their sum */
  count?: number;
  sum?: number;
}

export interface ScrapedFamily {
  name: string;
  type: string;
  samples: ScrapedSample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const match = LABEL.exec(text);
    if (!match) throw new Error(`unreadable labels in metrics line: ${line}`);
    labels[match[1]!] = match[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

const numberOf = (text: string): number =>
  text === '+Inf' ? Infinity : text === '-Inf' ? -Infinity : text === 'NaN' ? NaN : Number(text);

export function parseMetrics(text: string): Map<string, ScrapedFamily> {
  const families = new Map<string, ScrapedFamily>();
  const familyOf = (sampleName: string): ScrapedFamily | undefined => {
    const exact = families.get(sampleName);
    if (exact) return exact;
    const base = sampleName.replace(/_(bucket|sum|count)$/, '');
    const family = families.get(base);
    return family && (family.type === 'HISTOGRAM' || family.type === 'SUMMARY') ? family : undefined;
  };
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('# HELP ')) continue;
    if (line.startsWith('# TYPE ')) {
      const [, , name, type] = line.split(/\s+/);
      families.set(name!, { name: name!, type: type!.toUpperCase(), samples: [] });
      continue;
    }
    if (line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`unreadable metrics line: ${line}`);
    const [, name, labelText, valueText] = match;
    const family = familyOf(name!);
    if (!family) throw new Error(`metrics line without a TYPE: ${line}`);
    const labels = parseLabels(labelText ?? '', line);
    const value = numberOf(valueText!);
    if (family.type !== 'HISTOGRAM' && family.type !== 'SUMMARY') {
      family.samples.push({ labels, value });
      continue;
    }
    // one sample per label set: buckets (and quantiles) are skipped, _sum and _count kept
    if (name!.endsWith('_bucket') || 'quantile' in labels) continue;
    const key = JSON.stringify(labels);
    let sample = family.samples.find((s) => JSON.stringify(s.labels) === key);
    if (!sample) family.samples.push((sample = { labels }));
    if (name!.endsWith('_sum')) sample.sum = value;
    else if (name!.endsWith('_count')) sample.count = value;
  }
  return families;
}

/** GETs `<baseUrl>/metrics` (with the bearer token when given) and parses it; throws on a non-200. */
export async function scrapeMetrics(baseUrl: string, token?: string): Promise<Map<string, ScrapedFamily>> {
  const res = await fetch(
    `${baseUrl}/metrics`,
    token ? { headers: { authorization: `Bearer ${token}` } } : {},
  );
  if (res.status !== 200) throw new Error(`${baseUrl}/metrics answered ${res.status}`);
  return parseMetrics(await res.text());
}

/** The samples of one family whose labels include `labels` (none when the family is absent). */
export function samplesOf(
  families: Map<string, ScrapedFamily>,
  name: string,
  labels: Record<string, string> = {},
): ScrapedSample[] {
  return (families.get(name)?.samples ?? []).filter((s) =>
    Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
}

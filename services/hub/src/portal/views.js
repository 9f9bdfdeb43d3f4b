/* global document */
/** Renders the citizen's records with DOM nodes and textContent only: no data reaches innerHTML. */

/** @param {string} tag @param {Record<string, string>} [attributes] @param {...(Node|string|null|undefined)} children */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

const dateFormat = new Intl.DateTimeFormat('pt-BR', { day: '2-digit', month: '2-digit', year: 'numeric' });

/** A FHIR date or dateTime as dd/mm/aaaa (a bare date stays the calendar day it names). */
export function formatDate(value) {
  if (!value) return '—';
  const bare = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const date = new Date(bare ? `${value}T12:00:00` : value);
  return Number.isNaN(date.getTime()) ? value : dateFormat.format(date);
}

/** A code's display when the hub knows it, else its code named by its code system (`CATMAT BR0267778`). */
const shown = (coded) => {
  if (!coded) return '—';
  if (coded.display) return coded.display;
  const system = (coded.system ?? '')
    .split('/')
    .pop()
    .replace(/^BR(Obm)?/, '');
  return system ? `${system} ${coded.code}` : coded.code;
};

/** Who sent a record: its registered name when known, always with the CNES. */
const establishment = (cnes, name) => (name ? `${name} (CNES ${cnes})` : `CNES ${cnes}`);

const table = (headers, rows) =>
  el(
    'table',
    {},
    el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map((cells) => el('tr', {}, ...cells.map((c) => el('td', {}, c))))),
  );

const empty = (text) => el('p', { class: 'empty' }, text);

/** A cell's main text with, when there is one, a detail on its own line below (the reason for a dose, how to take a medicine). */
const withDetail = (main, detail) =>
  detail ? el('span', {}, main, el('span', { class: 'detail' }, detail)) : main;

export function renderVaccines(entries) {
  if (entries.length === 0) return empty('Nenhuma vacina registrada.');
  return table(
    ['Vacina', 'Dose', 'Data', 'Lote', 'Onde'],
    entries.map(({ immunization: i, establishment: cnes, establishmentName }) => [
      withDetail(
        el('span', { class: 'strong' }, shown(i.vaccine)),
        i.reason && `Motivo: ${shown(i.reason.condition)}`,
      ),
      shown(i.dose),
      formatDate(i.occurrence),
      i.lotNumber ?? (i.transcription ? 'transcrita' : '—'),
      i.transcription?.country ? shown(i.transcription.country) : establishment(cnes, establishmentName),
    ]),
  );
}

const resultText = (value) =>
  value.kind === 'qualitative'
    ? shown(value.result)
    : `${value.value} ${value.unit}${value.interpretation ? ` (${shown(value.interpretation)})` : ''}`;

export function renderExams(entries) {
  if (entries.length === 0) return empty('Nenhum resultado de exame registrado.');
  const rows = entries.flatMap(({ exam, laboratory, establishmentName }) =>
    exam.results.map((r) => [
      el('span', { class: 'strong' }, shown(r.exam)),
      el('span', { class: r.value.kind === 'qualitative' ? 'pill' : '' }, resultText(r.value)),
      formatDate(r.issued),
      shown(r.specimen?.type),
      establishment(laboratory, establishmentName),
    ]),
  );
  return table(['Exame', 'Resultado', 'Emitido em', 'Amostra', 'Laboratório'], rows);
}

const PROGRAMMES = { '01': 'SUS', '02': 'Farmácia Popular' };

export function renderMedicines(entries) {
  if (entries.length === 0) return empty('Nenhum medicamento dispensado registrado.');
  const rows = entries.flatMap(({ dispensation, pharmacy, establishmentName }) =>
    dispensation.dispensations.map((d) => [
      withDetail(
        el('span', { class: 'strong' }, shown(d.medication)),
        d.dosageText && `Como usar: ${d.dosageText}`,
      ),
      `${d.quantity.value}${d.form ? ` ${shown(d.form).toLowerCase()}` : d.quantity.unit ? ` ${d.quantity.unit}` : ''}`,
      formatDate(d.handedOver),
      PROGRAMMES[d.programme?.code] ?? shown(d.programme),
      establishment(pharmacy, establishmentName),
    ]),
  );
  return table(['Medicamento', 'Quantidade', 'Entregue em', 'Programa', 'Farmácia'], rows);
}

const KINDS = {
  RIA: { label: 'Vacina', describe: (s) => `${shown(s.vaccine)} · ${shown(s.dose)}` },
  REL: {
    label: 'Exame',
    describe: (s) => s.results.map((r) => `${shown(r.exam)}: ${resultText(r.value)}`).join('; '),
  },
  RDM: { label: 'Medicamento', describe: (s) => s.dispensations.map((d) => shown(d.medication)).join('; ') },
};

export function renderTimeline(entries) {
  if (entries.length === 0) return empty('Nada registrado ainda.');
  return el(
    'ol',
    { class: 'timeline' },
    ...entries.map((entry) => {
      const kind = KINDS[entry.recordType];
      return el(
        'li',
        { class: `kind-${entry.recordType.toLowerCase()}` },
        el('time', { datetime: entry.occurredAt }, formatDate(entry.occurredAt)),
        el('span', { class: 'tag' }, kind?.label ?? entry.recordType),
        el('span', { class: 'what' }, kind ? kind.describe(entry.summary) : ''),
        el('span', { class: 'where' }, establishment(entry.establishment, entry.establishmentName)),
      );
    }),
  );
}

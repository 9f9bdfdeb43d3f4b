import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import qrcode from 'qrcode-generator';
import type { CovidCertificateForm } from './certificate-form.ts';
import { LANGUAGE_TAGS, TEXTS, formatDate } from './texts.ts';

const PAGE = { width: 595.28, height: 841.89 } as const;
const MARGIN = 50;
const GREEN = rgb(0, 0.45, 0.3);
const GREY = rgb(0.93, 0.93, 0.93);
const INK = rgb(0.1, 0.1, 0.1);
/** Table columns: share of the printable width. */
const COLUMNS = [0.34, 0.14, 0.12, 0.14, 0.26] as const;
const TABLE_SIZE = 8.5;
const CODE_LINE = 64;
const QR_SIZE = 120;

interface Fonts {
  readonly regular: PDFFont;
  readonly bold: PDFFont;
  readonly mono: PDFFont;
}

/** The standard fonts encode WinAnsi only: anything else (a name in another script) prints as `?`. */
const printable = (text: string, font: PDFFont): string => {
  const supported = new Set(font.getCharacterSet());
  return [...text.replace(/\s+/g, ' ')].map((c) => (supported.has(c.codePointAt(0) ?? 0) ? c : '?')).join('');
};

const wrap = (text: string, font: PDFFont, size: number, width: number): string[] => {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (line !== '' && font.widthOfTextAtSize(candidate, size) > width) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  return line === '' ? lines : [...lines, line];
};

/** A cursor down one page, adding a page when the next block does not fit. */
class Writer {
  page: PDFPage;
  y = PAGE.height - MARGIN;
  constructor(
    private readonly pdf: PDFDocument,
    readonly fonts: Fonts,
  ) {
    this.page = this.newPage();
  }
  private newPage(): PDFPage {
    const page = this.pdf.addPage([PAGE.width, PAGE.height]);
    page.drawRectangle({ x: 0, y: PAGE.height - 10, width: PAGE.width, height: 10, color: GREEN });
    return page;
  }
  ensure(height: number): void {
    if (this.y - height >= MARGIN) return;
    this.page = this.newPage();
    this.y = PAGE.height - MARGIN;
  }
  text(text: string, x: number, size: number, font: PDFFont = this.fonts.regular): void {
    this.page.drawText(printable(text, font), { x, y: this.y, size, font, color: INK });
  }
}

const holderRows = (form: CovidCertificateForm) => {
  const t = TEXTS[form.language];
  const { name, birthDate, cns, cpf } = form.holder;
  return [
    [t.name, name ?? t.notInformed],
    [t.birthDate, birthDate ? formatDate(birthDate, form.language) : t.notInformed],
    ...(cpf && !cns ? [[t.cpf, cpf]] : [[t.cns, cns ?? t.notInformed]]),
  ] as const;
};

const doseCells = (form: CovidCertificateForm, dose: CovidCertificateForm['doses'][number]): string[] => {
  const t = TEXTS[form.language];
  const where = dose.givenAbroad
    ? `${t.abroad}${dose.country?.display ? ` (${dose.country.display})` : ''}`
    : dose.establishment;
  return [
    dose.vaccine.display ?? dose.vaccine.code,
    dose.dose.display ?? dose.dose.code,
    formatDate(dose.date, form.language),
    dose.lotNumber ?? '—',
    where,
  ];
};

const drawTable = (w: Writer, form: CovidCertificateForm): void => {
  const t = TEXTS[form.language];
  const width = PAGE.width - 2 * MARGIN;
  const xs = COLUMNS.reduce<number[]>(
    (acc, share, i) => [...acc, (acc[i] ?? MARGIN) + share * width],
    [MARGIN],
  );
  const row = (cells: readonly string[], font: PDFFont, shaded: boolean) => {
    const wrapped = cells.map((cell, i) =>
      wrap(printable(cell, font), font, TABLE_SIZE, (COLUMNS[i] ?? 0) * width - 6),
    );
    const height = Math.max(...wrapped.map((lines) => lines.length)) * (TABLE_SIZE + 2) + 6;
    w.ensure(height);
    if (shaded)
      w.page.drawRectangle({ x: MARGIN, y: w.y - height + TABLE_SIZE + 3, width, height, color: GREY });
    const top = w.y;
    wrapped.forEach((lines, i) =>
      lines.forEach((line, n) => {
        w.y = top - n * (TABLE_SIZE + 2);
        w.text(line, (xs[i] ?? MARGIN) + 3, TABLE_SIZE, font);
      }),
    );
    w.y = top - height;
  };
  row([t.vaccine, t.dose, t.date, t.lot, t.establishment], w.fonts.bold, true);
  for (const dose of form.doses) row(doseCells(form, dose), w.fonts.regular, false);
};

const drawQr = (page: PDFPage, text: string, x: number, y: number): void => {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const count = qr.getModuleCount();
  const cell = QR_SIZE / count;
  for (let row = 0; row < count; row++)
    for (let col = 0; col < count; col++)
      if (qr.isDark(row, col))
        page.drawRectangle({
          x: x + col * cell,
          y: y + QR_SIZE - (row + 1) * cell,
          width: cell,
          height: cell,
          color: INK,
        });
};

/** Issue time in Brasília, as printed. */
const issuedText = (form: CovidCertificateForm): string => {
  const local = new Date(Date.parse(form.issuedAt) - 3 * 3600_000).toISOString();
  return `${formatDate(local, form.language)} ${local.slice(11, 16)} (UTC-3)`;
};

/** The certificate as a one-page A4 PDF (more pages only for a very long list of doses). */
export const renderCertificatePdf = async (form: CovidCertificateForm): Promise<Uint8Array> => {
  const t = TEXTS[form.language];
  const pdf = await PDFDocument.create();
  const issued = new Date(form.issuedAt);
  pdf.setTitle(form.title);
  pdf.setLanguage(LANGUAGE_TAGS[form.language]);
  pdf.setCreator('Nexo');
  pdf.setProducer('Nexo');
  pdf.setCreationDate(issued);
  pdf.setModificationDate(issued);
  const fonts: Fonts = {
    regular: await pdf.embedFont(StandardFonts.Helvetica),
    bold: await pdf.embedFont(StandardFonts.HelveticaBold),
    mono: await pdf.embedFont(StandardFonts.Courier),
  };
  const w = new Writer(pdf, fonts);
  w.text(form.title, MARGIN, 17, fonts.bold);
  w.y -= 18;
  w.text(form.issuer, MARGIN, 10);
  w.y -= 32;
  for (const [label, value] of holderRows(form)) {
    w.text(label, MARGIN, 10, fonts.bold);
    w.text(value, MARGIN + 170, 10);
    w.y -= 16;
  }
  w.y -= 14;
  drawTable(w, form);

  const codeLines = form.verification.code.match(new RegExp(`.{1,${CODE_LINE}}`, 'g')) ?? [];
  w.y -= 24;
  w.ensure(QR_SIZE + 40);
  const blockTop = w.y;
  drawQr(w.page, form.verification.url, PAGE.width - MARGIN - QR_SIZE, blockTop - QR_SIZE + 8);
  w.text(t.verification, MARGIN, 10, fonts.bold);
  w.y -= 14;
  for (const line of codeLines) {
    w.text(line, MARGIN, 7.5, fonts.mono);
    w.y -= 10;
  }
  w.y -= 6;
  w.text(
    `${t.verifyAt}: ${form.verification.url.slice(0, form.verification.url.length - form.verification.code.length)}`,
    MARGIN,
    8,
  );
  w.y -= 14;
  w.text(`${t.issuedAt}: ${issuedText(form)}`, MARGIN, 8);
  w.y = Math.min(w.y - 14, blockTop - QR_SIZE - 10);
  w.ensure(12);
  w.text(t.note, MARGIN, 8);
  return pdf.save();
};

import type { Finding } from './model';

/**
 * The EN 16931 and XRechnung rule messages in German, for the report shown in the UI (the CLI
 * and the English UI show the messages rules.ts writes). Keyed by rule id; a rule whose English
 * message names values carries them in `Finding.params`, and rules with two wordings (present
 * but wrong / absent) tell them apart by those params. A finding without a German text here
 * keeps its English message: `germanRuleMessage` answers null. The Peppol BIS rules are here too.
 */
type Template = string | ((p: Readonly<Record<string, string>>) => string);

const CORE: Record<string, Template> = {
  'SYNTAX-DECIMAL': (p) => `${p.element} „${p.value}“ ist keine Dezimalzahl.`,
  'SYNTAX-DATE': (p) => `${p.element} „${p.value}“ ist kein Kalenderdatum (JJJJ-MM-TT, in CII Format 102 JJJJMMTT).`,
  'SYNTAX-CODE': (p) => `Die Währung „${p.value}“ ist kein ISO-4217-Code.`,
  'BR-01': 'Eine Rechnung muss eine Spezifikationskennung (BT-24) haben.',
  'BR-02': 'Eine Rechnung muss eine Rechnungsnummer (BT-1) haben.',
  'BR-03': 'Eine Rechnung muss ein Rechnungsdatum (BT-2) haben.',
  'BR-04': 'Eine Rechnung muss einen Rechnungsartcode (BT-3) haben.',
  'BR-05': 'Eine Rechnung muss einen Währungscode (BT-5) haben.',
  'BR-06': 'Eine Rechnung muss den Namen des Verkäufers (BT-27) enthalten.',
  'BR-07': 'Eine Rechnung muss den Namen des Käufers (BT-44) enthalten.',
  'BR-08': 'Eine Rechnung muss die Postanschrift des Verkäufers (BG-5) enthalten.',
  'BR-09': 'Die Postanschrift des Verkäufers muss einen Ländercode (BT-40) enthalten.',
  'BR-10': 'Eine Rechnung muss die Postanschrift des Käufers (BG-8) enthalten.',
  'BR-11': 'Die Postanschrift des Käufers muss einen Ländercode (BT-55) enthalten.',
  'BR-12': 'Eine Rechnung muss die Summe der Nettobeträge der Rechnungspositionen (BT-106) haben.',
  'BR-13': 'Eine Rechnung muss den Gesamtbetrag ohne Umsatzsteuer (BT-109) haben.',
  'BR-14': 'Eine Rechnung muss den Gesamtbetrag einschließlich Umsatzsteuer (BT-112) haben.',
  'BR-15': 'Eine Rechnung muss den fälligen Zahlungsbetrag (BT-115) haben.',
  'BR-16': 'Eine Rechnung muss mindestens eine Rechnungsposition (BG-25) haben.',
  'BR-17': 'Ist der Zahlungsempfänger nicht der Verkäufer, muss sein Name (BT-59) angegeben sein.',
  'BR-18': 'Der Name des Steuervertreters des Verkäufers (BT-62) muss angegeben sein.',
  'BR-19': 'Die Postanschrift des Steuervertreters des Verkäufers (BG-12) muss angegeben sein.',
  'BR-20': 'Die Postanschrift des Steuervertreters muss einen Ländercode (BT-69) enthalten.',
  'BR-56': 'Die Umsatzsteuer-Identifikationsnummer des Steuervertreters (BT-63) muss angegeben sein.',
  'BR-CO-19': 'Ein Rechnungszeitraum (BG-14) braucht ein Anfangsdatum (BT-73), ein Enddatum (BT-74) oder beides.',
  'BR-29': 'Das Enddatum des Rechnungszeitraums (BT-74) darf nicht vor seinem Anfangsdatum (BT-73) liegen.',
  'BR-45': 'Jede Umsatzsteueraufschlüsselung muss einen Steuerbasisbetrag der Kategorie (BT-116) haben.',
  'BR-46': 'Jede Umsatzsteueraufschlüsselung muss einen Steuerbetrag der Kategorie (BT-117) haben.',
  'BR-47': 'Jede Umsatzsteueraufschlüsselung muss durch einen Umsatzsteuerkategoriecode (BT-118) bestimmt sein.',
  'BR-48': 'Jede Umsatzsteueraufschlüsselung muss einen Umsatzsteuersatz der Kategorie (BT-119) haben, außer die Rechnung unterliegt nicht der Umsatzsteuer.',
  'BR-49': 'Eine Zahlungsanweisung muss den Code für das Zahlungsmittel (BT-81) angeben.',
  'BR-50': 'Werden Angaben zur Überweisung (BG-17) gemacht, muss die Kennung des Zahlungskontos (BT-84) angegeben sein.',
  'BR-61': (p) => `Zahlungsmittel ${p.code} ist eine Überweisung, also muss die Kennung des Zahlungskontos (BT-84, die IBAN) angegeben sein.`,
  'BR-51': 'Bei Kartenzahlung müssen die letzten 4 bis 6 Ziffern der Kartennummer (BT-87) angegeben sein.',
  'BR-52': 'Jedes rechnungsbegründende Dokument (BG-24) muss eine Kennung (BT-122) enthalten.',
  'BR-53': 'Ist eine Währung für die Umsatzsteuerbuchung (BT-6) angegeben, muss der Umsatzsteuergesamtbetrag in dieser Währung (BT-111) angegeben sein.',
  'BR-55': 'Jeder Verweis auf eine vorausgegangene Rechnung (BG-3) muss deren Nummer (BT-25) enthalten.',
  'BR-57': 'Jede Lieferanschrift (BG-15) muss einen Ländercode (BT-80) enthalten.',
  'BR-62': 'Die elektronische Adresse des Verkäufers (BT-34) muss eine Schema-Kennung haben.',
  'BR-63': 'Die elektronische Adresse des Käufers (BT-49) muss eine Schema-Kennung haben.',
  'BR-CO-03': 'Das Datum der Steuerfälligkeit (BT-7) und sein Code (BT-8) schließen sich gegenseitig aus.',
  'BR-CO-09': (p) => `Die Umsatzsteuer-Identifikationsnummer ${p.element} „${p.value}“ muss mit einem Ländercode nach ISO 3166-1 alpha-2 beginnen (Griechenland: EL).`,
  'BR-CO-18': 'Eine Rechnung muss mindestens eine Umsatzsteueraufschlüsselung (BG-23) haben.',
  'BR-CO-25': 'Ist der fällige Betrag (BT-115) positiv, muss das Fälligkeitsdatum (BT-9) oder die Zahlungsbedingungen (BT-20) angegeben sein.',
  'BR-CO-26': 'Der Verkäufer muss durch eine Kennung (BT-29), eine Registernummer (BT-30) oder eine Umsatzsteuer-Identifikationsnummer (BT-31) bestimmt sein.',
  'BR-21': (p) => `Jede Rechnungsposition muss eine Kennung (BT-126) haben (Position ${p.line}).`,
  'BR-22': (p) => `Jede Rechnungsposition muss eine Menge (BT-129) haben (Position ${p.line}).`,
  'BR-23': (p) => `Eine Rechnungsposition muss einen Code für die Maßeinheit (BT-130) haben (Position ${p.line}).`,
  'BR-24': (p) => `Jede Rechnungsposition muss einen Nettobetrag (BT-131) haben (Position ${p.line}).`,
  'BR-25': (p) => `Jede Rechnungsposition muss den Namen des Artikels (BT-153) enthalten (Position ${p.line}).`,
  'BR-26': (p) => `Jede Rechnungsposition muss den Nettopreis des Artikels (BT-146) enthalten (Position ${p.line}).`,
  'BR-27': (p) => `Der Nettopreis des Artikels (BT-146) darf nicht negativ sein (Position ${p.line}).`,
  'BR-28': (p) => `Der Bruttopreis des Artikels (BT-148) darf nicht negativ sein (Position ${p.line}).`,
  'BR-30': (p) => `Das Enddatum des Positionszeitraums darf nicht vor seinem Anfangsdatum liegen (Position ${p.line}).`,
  'BR-CO-20': (p) => `Ein Positionszeitraum braucht ein Anfangs- oder ein Enddatum (Position ${p.line}).`,
  'BR-41': (p) => `Jeder Nachlass auf Positionsebene muss einen Betrag (BT-136) haben (Position ${p.line}).`,
  'BR-42': (p) => `Jeder Nachlass auf Positionsebene muss einen Grund (BT-139) oder einen Grundcode (BT-140) haben (Position ${p.line}).`,
  'BR-43': (p) => `Jeder Zuschlag auf Positionsebene muss einen Betrag (BT-141) haben (Position ${p.line}).`,
  'BR-44': (p) => `Jeder Zuschlag auf Positionsebene muss einen Grund (BT-144) oder einen Grundcode (BT-145) haben (Position ${p.line}).`,
  'BR-CO-04': (p) => `Jede Rechnungsposition muss einem Umsatzsteuerkategoriecode (BT-151) zugeordnet sein (Position ${p.line}).`,
  'BR-64': (p) => `Die Standardkennung des Artikels (BT-157) muss eine Schema-Kennung haben (Position ${p.line}).`,
  'BR-65': (p) => `Die Klassifizierungskennung des Artikels (BT-158) muss eine Schema-Kennung haben (Position ${p.line}).`,
  'BR-54': (p) => `Jedes Artikelattribut muss einen Namen (BT-160) und einen Wert (BT-161) enthalten (Position ${p.line}).`,
  'BR-31': 'Jeder Nachlass auf Dokumentebene muss einen Betrag (BT-92) haben.',
  'BR-32': 'Jeder Nachlass auf Dokumentebene muss einen Umsatzsteuerkategoriecode (BT-95) haben.',
  'BR-33': 'Jeder Nachlass auf Dokumentebene muss einen Grund (BT-97) oder einen Grundcode haben.',
  'BR-36': 'Jeder Zuschlag auf Dokumentebene muss einen Betrag (BT-99) haben.',
  'BR-37': 'Jeder Zuschlag auf Dokumentebene muss einen Umsatzsteuerkategoriecode (BT-102) haben.',
  'BR-38': 'Jeder Zuschlag auf Dokumentebene muss einen Grund (BT-104) oder einen Grundcode haben.',
  'BR-CO-10': (p) => `Die Summe der Nettobeträge der Positionen (BT-106) muss der Summe der Positionsnettobeträge (BT-131) entsprechen: angegeben ${p.stated}, berechnet ${p.expected}.`,
  'BR-CO-11': (p) => (p.stated
    ? `Die Summe der Nachlässe (BT-107) muss der Summe der Nachlässe auf Dokumentebene (BT-92) entsprechen: angegeben ${p.stated}, berechnet ${p.expected}.`
    : 'Es gibt Nachlässe auf Dokumentebene, also muss ihre Summe (BT-107) angegeben sein.'),
  'BR-CO-12': (p) => (p.stated
    ? `Die Summe der Zuschläge (BT-108) muss der Summe der Zuschläge auf Dokumentebene (BT-99) entsprechen: angegeben ${p.stated}, berechnet ${p.expected}.`
    : 'Es gibt Zuschläge auf Dokumentebene, also muss ihre Summe (BT-108) angegeben sein.'),
  'BR-CO-13': (p) => `Der Gesamtbetrag ohne Umsatzsteuer (BT-109) muss BT-106 − BT-107 + BT-108 entsprechen: angegeben ${p.stated}, berechnet ${p.expected}.`,
  'BR-CO-14': (p) => `Der Umsatzsteuergesamtbetrag (BT-110) muss der Summe der Steuerbeträge der Kategorien (BT-117) entsprechen: angegeben ${p.stated}, berechnet ${p.expected}.`,
  'BR-CO-15': (p) => `Der Gesamtbetrag einschließlich Umsatzsteuer (BT-112) muss BT-109 + BT-110 entsprechen: angegeben ${p.stated}, berechnet ${p.expected}.`,
  'BR-CO-16': (p) => `Der fällige Betrag (BT-115) muss BT-112 − BT-113 + BT-114 entsprechen: angegeben ${p.stated}, berechnet ${p.expected}.`,
  'BR-CO-17': (p) => `Der Steuerbetrag der Kategorie (BT-117) ${p.tax} muss dem Steuerbasisbetrag ${p.taxable} × Satz ${p.rate} % entsprechen (Kategorie ${p.code}).`,
  'BR-DE-01': 'XRechnung: Zahlungsanweisungen (BG-16) müssen angegeben sein.',
  'BR-DE-02': 'XRechnung: Der Kontakt des Verkäufers (BG-6) muss angegeben sein.',
  'BR-DE-03': 'XRechnung: Der Ort des Verkäufers (BT-37) muss angegeben sein.',
  'BR-DE-04': 'XRechnung: Die Postleitzahl des Verkäufers (BT-38) muss angegeben sein.',
  'BR-DE-05': 'XRechnung: Der Ansprechpartner des Verkäufers (BT-41) muss angegeben sein.',
  'BR-DE-06': 'XRechnung: Die Telefonnummer des Ansprechpartners des Verkäufers (BT-42) muss angegeben sein.',
  'BR-DE-07': 'XRechnung: Die E-Mail-Adresse des Ansprechpartners des Verkäufers (BT-43) muss angegeben sein.',
  'BR-DE-08': 'XRechnung: Der Ort des Käufers (BT-52) muss angegeben sein.',
  'BR-DE-09': 'XRechnung: Die Postleitzahl des Käufers (BT-53) muss angegeben sein.',
  'BR-DE-10': 'XRechnung: Der Ort der Lieferanschrift (BT-77) muss angegeben sein.',
  'BR-DE-11': 'XRechnung: Die Postleitzahl der Lieferanschrift (BT-78) muss angegeben sein.',
  'BR-DE-14': (p) => `XRechnung: Der Umsatzsteuersatz der Kategorie (BT-119) muss angegeben sein (Kategorie ${p.code}).`,
  'BR-DE-15': 'XRechnung: Die Käuferreferenz (BT-10, bei öffentlichen Auftraggebern die Leitweg-ID) muss angegeben sein.',
  'BR-DE-16': 'XRechnung: Bei diesen Umsatzsteuerkategorien muss die Umsatzsteuer-Identifikationsnummer (BT-31), die Steuernummer (BT-32) des Verkäufers oder ein Steuervertreter (BG-11) angegeben sein.',
  'BR-DE-17': (p) => `XRechnung: Der Rechnungsartcode ${p.code} ist keiner von ${p.allowed}.`,
  'BR-DE-13': 'XRechnung: Nur eine der Angaben Überweisung (BG-17), Karte (BG-18) oder Lastschrift (BG-19) darf gemacht werden.',
  'BR-DE-23-a': (p) => `XRechnung: Zahlungsmittel ${p.code} verlangt Angaben zur Überweisung (BG-17).`,
  'BR-DE-19': (p) => `XRechnung: „${p.value}“ ist keine gültige IBAN, die eine SEPA-Überweisung (58) aber verlangt.`,
  'BR-DE-24-a': (p) => `XRechnung: Zahlungsmittel ${p.code} verlangt Angaben zur Karte (BG-18).`,
  'BR-DE-25-a': 'XRechnung: Zahlungsmittel 59 (SEPA-Lastschrift) verlangt Angaben zur Lastschrift (BG-19).',
  'BR-DE-30': 'XRechnung: Eine SEPA-Lastschrift verlangt die Gläubiger-Identifikationsnummer (BT-90).',
  'BR-DE-31': 'XRechnung: Eine SEPA-Lastschrift verlangt die Kennung des zu belastenden Kontos (BT-91).',
  'BR-DE-26': 'XRechnung: Eine korrigierte Rechnung (384) sollte auf die vorausgegangene Rechnung (BG-3) verweisen.',
  'BR-DE-27': 'XRechnung: Die Telefonnummer des Verkäufers (BT-42) sollte mindestens drei Ziffern enthalten.',
  'BR-DE-28': 'XRechnung: Die E-Mail-Adresse des Verkäufers (BT-43) sollte eine gültige Adresse sein.',
  'BR-DE-22': 'XRechnung: Die Dateinamen angehängter Dokumente müssen eindeutig sein.',
  'PEPPOL-EN16931-R001': 'Peppol: Der Geschäftsprozess (BT-23) muss angegeben sein.',
  'PEPPOL-EN16931-R002': 'Peppol: Auf Dokumentebene ist höchstens eine Bemerkung (BT-22) erlaubt.',
  'PEPPOL-EN16931-R003': 'Peppol: Eine Käuferreferenz (BT-10) oder eine Bestellreferenz (BT-13) muss angegeben sein.',
  'PEPPOL-EN16931-R005': 'Peppol: Die Währung für die Umsatzsteuerbuchung (BT-6) muss, wenn angegeben, von der Rechnungswährung (BT-5) abweichen.',
  'PEPPOL-EN16931-R006': 'Peppol: Auf Dokumentebene ist höchstens ein Rechnungsobjekt (BT-18) erlaubt.',
  'PEPPOL-EN16931-R007': (p) => `Peppol: Der Geschäftsprozess (BT-23) „${p.value}“ muss die Form urn:fdc:peppol.eu:2017:poacc:billing:NN:1.0 haben.`,
  'PEPPOL-EN16931-R008': (p) => `Peppol: Das Dokument darf keine leeren Elemente enthalten; gefunden: ${p.count} (${p.names}).`,
  'PEPPOL-EN16931-R010': 'Peppol: Die elektronische Adresse des Käufers (BT-49) muss angegeben sein.',
  'PEPPOL-EN16931-R020': 'Peppol: Die elektronische Adresse des Verkäufers (BT-34) muss angegeben sein.',
  'PEPPOL-EN16931-R040': (p) => `Peppol: Der Betrag ${p.value} ${p.kind === 'charge' ? 'des Zuschlags' : 'des Nachlasses'} (${p.line ? `Position ${p.line}` : 'Dokumentebene'}) muss Basisbetrag × Prozentsatz / 100 entsprechen.`,
  'PEPPOL-EN16931-R041': (p) => `Peppol: ${p.kind === 'charge' ? 'Ein Zuschlag' : 'Ein Nachlass'} mit Prozentsatz (${p.line ? `Position ${p.line}` : 'Dokumentebene'}) muss seinen Basisbetrag angeben.`,
  'PEPPOL-EN16931-R042': (p) => `Peppol: ${p.kind === 'charge' ? 'Ein Zuschlag' : 'Ein Nachlass'} mit Basisbetrag (${p.line ? `Position ${p.line}` : 'Dokumentebene'}) muss seinen Prozentsatz angeben.`,
  'PEPPOL-EN16931-R043': 'Peppol: Die Kennzeichnung eines Nachlasses oder Zuschlags muss „true“ oder „false“ sein.',
  'PEPPOL-EN16931-R044': (p) => `Peppol: Ein Zuschlag auf den Artikelpreis von Position ${p.line} ist NICHT erlaubt; nur Preisnachlässe (Kennzeichen false).`,
  'PEPPOL-EN16931-R046': (p) => `Peppol: Der Nettopreis (BT-146) von Position ${p.line} muss dem Bruttopreis (BT-148) abzüglich des Preisnachlasses (BT-147) entsprechen.`,
  'PEPPOL-EN16931-R051': (p) => `Peppol: Die Währung von ${p.element} (${p.value || 'keine'}) muss die Rechnungswährung (BT-5) sein; ausgenommen ist nur die Umsatzsteuer in Buchungswährung (BT-111).`,
  'PEPPOL-EN16931-R053': (p) => `Peppol: Genau eine Steuersumme mit Aufschlüsselung muss angegeben sein; gefunden: ${p.count}.`,
  'PEPPOL-EN16931-R054': (p) => (p.accounting ? `Peppol: Bei angegebener Buchungswährung (BT-6) muss genau eine Steuersumme ohne Aufschlüsselung (BT-111) angegeben sein; gefunden: ${p.count}.` : `Peppol: Eine Steuersumme ohne Aufschlüsselung ist nur mit einer Buchungswährung (BT-6) erlaubt; gefunden: ${p.count}.`),
  'PEPPOL-EN16931-R055': 'Peppol: Der Umsatzsteuergesamtbetrag (BT-110) und der Umsatzsteuerbetrag in Buchungswährung (BT-111) müssen dasselbe Vorzeichen haben.',
  'PEPPOL-EN16931-R061': 'Peppol: Für eine Lastschrift muss die Mandatsreferenz (BT-89) angegeben sein.',
  'PEPPOL-EN16931-R080': 'Peppol: Auf Dokumentebene ist höchstens eine Projektreferenz (BT-11) erlaubt.',
  'PEPPOL-EN16931-R100': (p) => `Peppol: Position ${p.line} darf höchstens ein Rechnungsobjekt (BT-128) haben.`,
  'PEPPOL-EN16931-R101': (p) => `Peppol: Ein Dokumentverweis in Position ${p.line} kann nur ihr Rechnungsobjekt sein (Typcode 130).`,
  'PEPPOL-EN16931-R110': (p) => `Peppol: Das Anfangsdatum des Zeitraums von Position ${p.line} (BT-134) muss im Rechnungszeitraum liegen.`,
  'PEPPOL-EN16931-R111': (p) => `Peppol: Das Enddatum des Zeitraums von Position ${p.line} (BT-135) muss im Rechnungszeitraum liegen.`,
  'PEPPOL-EN16931-R120': (p) => `Peppol: Der Nettobetrag (BT-131) ${p.value} von Position ${p.line} muss Menge × Nettopreis / Basismenge + Zuschläge − Nachlässe entsprechen.`,
  'PEPPOL-EN16931-R121': (p) => `Peppol: Die Basismenge (BT-149) von Position ${p.line} muss eine positive Zahl größer als null sein.`,
  'PEPPOL-EN16931-R130': (p) => `Peppol: Die Einheit der Basismenge (BT-150) von Position ${p.line} muss die Einheit der Menge (BT-130) sein.`,
};

/** VAT categories (UNCL5305) by their German names, for the per-category rule families. */
const CATEGORY_NAMES: Record<string, string> = {
  S: 'Normalsatz', Z: 'Nullsatz', E: 'steuerbefreit', AE: 'Umkehrung der Steuerschuldnerschaft', K: 'innergemeinschaftliche Lieferung',
  G: 'Ausfuhr außerhalb der EU', O: 'nicht steuerbar', L: 'IGIC (Kanarische Inseln)', M: 'IPSI (Ceuta und Melilla)',
};

const RATE: Record<string, string> = { none: 'darf keinen Umsatzsteuersatz haben', zero: 'muss den Umsatzsteuersatz 0 haben', positive: 'muss einen Umsatzsteuersatz größer als null haben' };

/** BR-S-nn, BR-Z-nn, BR-E-nn, BR-AE-nn, BR-IC-nn, BR-G-nn, BR-O-nn, BR-IG-nn, BR-IP-nn. */
const CATEGORY_RULE = /^BR-(S|Z|E|AE|IC|G|O|IG|IP)-(\d\d)$/;

function categoryMessage(number: string, element: string | null, p: Readonly<Record<string, string>>): string | null {
  const code = p.code ?? '';
  const name = CATEGORY_NAMES[code];
  if (!name) return null;
  const category = `${code} (${name})`;
  switch (number) {
    case '01': return `Positionen, Nachlässe oder Zuschläge verwenden die Umsatzsteuerkategorie ${category}, also muss die Umsatzsteueraufschlüsselung (BG-23) die Kategorie ${code} enthalten.`;
    case '02': return element === 'BT-48'
      ? `Die Umsatzsteuerkategorie ${category} verlangt die Umsatzsteuer-Identifikationsnummer (BT-48) oder die Registernummer (BT-47) des Käufers.`
      : `Die Umsatzsteuerkategorie ${category} verlangt die Umsatzsteuer-Identifikationsnummer (BT-31), die Steuernummer (BT-32) des Verkäufers oder die Umsatzsteuer-Identifikationsnummer des Steuervertreters (BT-63).`;
    case '05': return p.rate && RATE[p.rate] ? `Position ${p.line} in Kategorie ${code} ${RATE[p.rate]} (BT-152 ist ${p.value || 'nicht angegeben'}).` : null;
    case '06': return p.rate && RATE[p.rate] ? `Ein Nachlass auf Dokumentebene in Kategorie ${code} ${RATE[p.rate]}.` : null;
    case '07': return p.rate && RATE[p.rate] ? `Ein Zuschlag auf Dokumentebene in Kategorie ${code} ${RATE[p.rate]}.` : null;
    case '08': return `Der Steuerbasisbetrag (BT-116) ${p.taxable} der Kategorie ${code}${p.rateKey ? ` zu ${p.rateKey} %` : ''} muss den Nettobeträgen der Positionen plus Zuschlägen minus Nachlässen dieser Kategorie entsprechen (${p.expected}).`;
    case '09': return p.tax
      ? `Der Steuerbetrag (BT-117) ${p.tax} der Kategorie ${code} zu ${p.vatRate} % muss Steuerbasisbetrag × Satz entsprechen.`
      : `Der Steuerbetrag (BT-117) der Kategorie ${category} muss 0 sein.`;
    case '10': return p.reason === 'forbidden'
      ? `Eine Umsatzsteueraufschlüsselung der Kategorie ${category} darf keinen Befreiungsgrund (BT-120/BT-121) haben.`
      : `Eine Umsatzsteueraufschlüsselung der Kategorie ${category} muss einen Befreiungsgrund als Text (BT-120) oder Code (BT-121) haben.`;
    default: return null;
  }
}

/** BR-DEC-nn: amounts with at most two decimals. */
const DECIMALS_RULE = /^BR-DEC-\d\d$/;

/** The finding's message in German, or null where there is none (the English one is shown then). */
export function germanRuleMessage(finding: Pick<Finding, 'rule' | 'element' | 'params'>): string | null {
  const p = finding.params ?? {};
  const category = CATEGORY_RULE.exec(finding.rule);
  if (category) return categoryMessage(category[2]!, finding.element, p);
  if (DECIMALS_RULE.test(finding.rule)) return p.value ? `${finding.element} ${p.value} darf höchstens 2 Nachkommastellen haben.` : null;
  const template = CORE[finding.rule];
  if (template === undefined) return null;
  return typeof template === 'string' ? template : template(p);
}

/** Every rule id with a German text (for the test that no rule the validator reports is missing). */
export function hasGermanRuleMessage(rule: string): boolean {
  return CATEGORY_RULE.test(rule) || DECIMALS_RULE.test(rule) || rule in CORE;
}

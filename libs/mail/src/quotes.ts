/**
 * The new part of a reply: drops the quoted tail mail clients add under an answer (the `> …` lines
 * at the end and the "On … wrote:" line above them, or everything from an Outlook "Original
 * Message" separator). Only a trailing quote goes; quotes answered inline stay. Never returns an
 * empty answer: if nothing is left, the full text is kept.
 */
const ATTRIBUTION =
  /^(on\b.*\bwrote:|am\b.*\bschrieb\b.*:|le\b.*\ba écrit\s*:|den\b.*\bskrev\b.*:|op\b.*\bschreef\b.*:|.*\bwrote:)\s*$/i;
const OUTLOOK =
  /^(-{2,}\s*(original message|oprindelig meddelelse|ursprüngliche nachricht|message d'origine)\s*-{2,}|_{10,})\s*$/i;

export function withoutQuotedTail(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const outlook = lines.findIndex((l) => OUTLOOK.test(l.trim()));
  let end = outlook === -1 ? lines.length : outlook;
  if (outlook === -1) {
    let i = lines.length - 1;
    while (i >= 0 && lines[i].trim() === '') i--;
    const lastContent = i;
    while (i >= 0 && (lines[i].startsWith('>') || lines[i].trim() === '')) i--;
    if (i < lastContent && lines.slice(i + 1, lastContent + 1).some((l) => l.startsWith('>'))) {
      end = i + 1;
      // the attribution line may be wrapped over two lines
      if (
        i >= 1 &&
        !ATTRIBUTION.test(lines[i - 1].trim()) &&
        /^(on|am|le|den|op)\b/i.test(lines[i - 1].trim()) &&
        ATTRIBUTION.test(`${lines[i - 1].trim()} ${lines[i].trim()}`)
      )
        end = i - 1;
      else if (i >= 0 && ATTRIBUTION.test(lines[i].trim())) end = i;
    }
  }
  const answer = lines.slice(0, end).join('\n').trimEnd();
  return answer.trim() ? answer : text.trimEnd();
}

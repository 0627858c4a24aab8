// The API's identifier checks (chalicelib/domain/identifiers.py), so a step is checked as it is
// left. Each returns null or the same error code the API would give; keep the two in step.
const DIGITS = /^[0-9]+$/;
const isDigits = (value, length) => value.length === length && DIGITS.test(value);

export function amkaCheckDigit(first10) {
  let total = 0;
  [...first10].reverse().forEach((char, position) => {
    let digit = Number(char);
    if (position % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    total += digit;
  });
  return String((10 - (total % 10)) % 10);
}

function isAmkaDate(ddmmyy) {
  const day = Number(ddmmyy.slice(0, 2));
  const month = Number(ddmmyy.slice(2, 4));
  const year = Number(ddmmyy.slice(4, 6));
  // The century is not encoded; 29/02/00 is valid because 2000 was a leap year.
  return [2000, 1900].some((century) => {
    const d = new Date(Date.UTC(century + year, month - 1, day));
    return d.getUTCFullYear() === century + year && d.getUTCMonth() === month - 1 &&
      d.getUTCDate() === day;
  });
}

export function checkAmka(value) {
  const amka = value.replace(/\s/g, "");
  if (!isDigits(amka, 11)) return "amka.format";
  if (!isAmkaDate(amka.slice(0, 6))) return "amka.date";
  if (amkaCheckDigit(amka.slice(0, 10)) !== amka[10]) return "amka.check";
  return null;
}

export function checkAfm(value) {
  const afm = value.replace(/\s/g, "");
  if (!isDigits(afm, 9)) return "afm.format";
  if (afm === "000000000") return "afm.check";
  const total = [...afm.slice(0, 8)].reduce((sum, char, i) => sum + Number(char) * 2 ** (8 - i), 0);
  return String((total % 11) % 10) === afm[8] ? null : "afm.check";
}

export function checkPhone(value) {
  const compact = value.replace(/[\s\-.()/]/g, "");
  let national = compact;
  if (compact.startsWith("+") || compact.startsWith("00")) {
    const international = compact.slice(compact.startsWith("+") ? 1 : 2);
    if (!DIGITS.test(international)) return "phone.format";
    if (!international.startsWith("30")) return "phone.not_greek";
    national = international.slice(2);
  }
  if (!isDigits(national, 10)) return "phone.format";
  if (!(national.startsWith("69") || national.startsWith("2"))) return "phone.format";
  return null;
}

export function checkEmail(value) {
  const email = value.trim();
  if (email.length > 254 || /\s/.test(email)) return "email.format";
  const at = email.indexOf("@");
  const local = at < 0 ? "" : email.slice(0, at);
  const domain = at < 0 ? "" : email.slice(at + 1);
  if (at < 0 || domain.includes("@") || !local || local.length > 64) return "email.format";
  const labels = domain.split(".");
  if (labels.length < 2 || !labels.every(Boolean)) return "email.format";
  return null;
}

export const CHECKS = { amka: checkAmka, afm: checkAfm, phone: checkPhone, email: checkEmail };

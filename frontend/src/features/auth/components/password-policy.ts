/**
 * The server's password policy, mirrored for immediate feedback (backend/src/auth/password.rs):
 * 12–128 characters and a zxcvbn score of at least 3, the user's own name and email (whole
 * and in parts) and common Finnish and Swedish words counting as dictionary words. The
 * server stays the judge: its field errors are what a form finally shows.
 */

export const MIN_LENGTH = 12;
export const MAX_LENGTH = 128;
export const MIN_SCORE = 3;

/** Words zxcvbn's English dictionaries miss but Finnish and Swedish users pick (as on the server). */
const LOCAL_COMMON_WORDS = [
  'salasana', 'tunnus', 'kayttaja', 'käyttäjä', 'suomi', 'finland', 'helsinki', 'espoo', 'tampere', 'vantaa',
  'oulu', 'turku', 'kuopio', 'lahti', 'jyväskylä', 'kunta', 'kaupunki', 'kissa', 'koira', 'perkele', 'sisu',
  'moikka', 'hei', 'kiitos', 'rakkaus', 'aurinko', 'kesä', 'talvi', 'kevät', 'syksy', 'tammikuu', 'helmikuu',
  'maaliskuu', 'huhtikuu', 'toukokuu', 'kesäkuu', 'heinäkuu', 'elokuu', 'syyskuu', 'lokakuu', 'marraskuu',
  'joulukuu', 'joulu', 'juhannus', 'lösenord', 'sommar', 'vinter', 'hemligt', 'polku', 'työpaja', 'valmennus',
];

/** The user's name and email, whole and in parts of three or more letters, and the local words. */
export function userInputs(...values: (string | undefined)[]): string[] {
  const given = values.filter((value): value is string => Boolean(value?.trim())).map((value) => value.trim());
  const parts = given.flatMap((value) => value.split(/[^\p{L}\p{N}]+/u)).filter((part) => Array.from(part).length >= 3);
  return [...given, ...parts, ...LOCAL_COMMON_WORDS];
}

/** Length in characters (code points), as the server counts. */
export const passwordLength = (password: string) => Array.from(password).length;

export type PasswordProblem = 'required' | 'too_short' | 'too_long';

/** What the length rule says of a new password (`null`: fine as far as the browser can tell). */
export function checkLength(password: string): PasswordProblem | null {
  const length = passwordLength(password);
  if (length === 0) return 'required';
  if (length < MIN_LENGTH) return 'too_short';
  if (length > MAX_LENGTH) return 'too_long';
  return null;
}

export interface NewPasswordValues {
  new_password: string;
  new_password_repeat: string;
}

/** Errors of a new password and its repetition, by field, as codes the locales translate. */
export function validateNewPassword(values: NewPasswordValues): Partial<Record<keyof NewPasswordValues, string>> {
  const errors: Partial<Record<keyof NewPasswordValues, string>> = {};
  const problem = checkLength(values.new_password);
  if (problem) errors.new_password = problem;
  if (!values.new_password_repeat) errors.new_password_repeat = 'required';
  else if (values.new_password_repeat !== values.new_password) errors.new_password_repeat = 'mismatch';
  return errors;
}

interface Estimator {
  check: (password: string, userInputs?: (string | number)[]) => { score: number };
}

let estimator: Promise<Estimator> | null = null;

/** zxcvbn with its dictionaries, loaded on first use (a chunk of its own, outside the initial JS). */
function loadEstimator(): Promise<Estimator> {
  estimator ??= Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
  ]).then(
    ([core, common, en]) =>
      new core.ZxcvbnFactory({
        dictionary: { ...common.dictionary, ...en.dictionary },
        graphs: common.adjacencyGraphs,
        translations: en.translations,
      }),
  );
  return estimator;
}

/** The zxcvbn score 0–4 of a password, with the user's own words counting against it. */
export async function estimateScore(password: string, inputs: string[]): Promise<number> {
  const zxcvbn = await loadEstimator();
  return zxcvbn.check(password.slice(0, 256), inputs).score;
}

/**
 * How the portal gets a citizen token — the only place that knows. In development mode the hub
 * accepts `dev-citizen-cpf-<CPF>` and `dev-citizen-cns-<CNS>`; when the development OIDC issuer
 * replaces them, this function becomes the call to its login endpoint and nothing else changes.
 *
 * @param {string} identifier what the citizen typed: a CPF (11 digits) or a CNS (15 digits)
 * @returns {Promise<{ token: string, label: string }>} the bearer token and how to show who is in
 */
export async function acquireToken(identifier) {
  const digits = identifier.replace(/\D/g, '');
  if (digits.length === 11) {
    return {
      token: `dev-citizen-cpf-${digits}`,
      label: `CPF ${digits.slice(0, 3)}.***.***-${digits.slice(9)}`,
    };
  }
  if (digits.length === 15) {
    return {
      token: `dev-citizen-cns-${digits}`,
      label: `CNS ${digits.slice(0, 3)} **** **** ${digits.slice(11)}`,
    };
  }
  throw new Error('Informe um CPF (11 dígitos) ou um CNS (15 dígitos).');
}

/**
 * What to tell a person when signing in fails or a session ends: plain words and what to do,
 * never a library's or a token parser's message (those go to the console for whoever debugs).
 */
import { ErrorResponse, ErrorTimeout } from 'oidc-client-ts';

/** Why the sign-in callback could not finish, for the person who was signing in. */
export function signInFailure(error: unknown): string {
  console.warn('sign-in did not complete:', error);
  if (error instanceof ErrorResponse) {
    if (error.error_description) {
      return `The sign-in service refused the sign-in. It said: “${error.error_description}”.`;
    }
    return error.error === 'access_denied'
      ? 'The sign-in service refused access to Provena.'
      : 'The sign-in service refused the sign-in.';
  }
  if (error instanceof ErrorTimeout) return 'The sign-in service did not answer in time.';
  if (error instanceof TypeError) {
    return 'Provena could not reach the sign-in service. Check your connection.';
  }
  if (error instanceof Error && /state/i.test(error.message)) {
    // No stored state matches: the page was reloaded after use, opened in another browser
    // or tab, or the browser's storage was cleared meanwhile.
    return 'This sign-in link was already used, or was opened in another browser or tab.';
  }
  return 'Something went wrong while finishing your sign-in.';
}

/** Why a session ended on its own; `apiSaid` is the API's problem detail on a 401, if any. */
export function sessionEnded(cause: 'expired' | 'not-renewed' | 'refused', apiSaid?: string | null) {
  if (apiSaid) console.warn('the API refused the sign-in:', apiSaid);
  if (cause === 'expired' || (apiSaid && /expired/i.test(apiSaid))) return 'Your sign-in expired.';
  if (cause === 'not-renewed') return 'Your sign-in could not be renewed.';
  return 'Provena no longer accepts your sign-in.';
}

/**
 * Mails the API sends on a person's request (invitations, password resets,
 * transcripts): built and sent by src/platform/mail.ts; here, what the caller
 * is answered when e-mail is not configured or the server does not accept it.
 */

import type { MailConfig } from "../../platform/config";
import {
  invitationMail,
  type MailResult,
  maskTranscript,
  passwordResetMail,
  sendMail,
  type Transcript,
  transcriptMail,
} from "../../platform/mail";
import type { Language } from "../../shared/protocol";
import { apiError } from "./http";

/**
 * Mails an invitation link (`${PUBLIC_URL}/welcome?token=…`) to `invitee` in
 * their language. Answers 502 when it cannot be sent — the caller has already
 * saved the invitee and the token, which stay, so the invitation can be resent.
 */
export async function mailInvitation(
  config: MailConfig | null,
  invitee: { email: string; name: string; language: Language },
  invitation: { tenantName: string; inviter: string | null; token: string; expiresInDays: number },
): Promise<void> {
  if (!config) {
    apiError(
      502,
      "mail_not_configured",
      "Saved, but e-mail is not configured on this server, so no invitation was sent.",
    );
  }
  const link = `${config.publicUrl}/welcome?token=${encodeURIComponent(invitation.token)}`;
  const mail = invitationMail(invitee.language, invitee, {
    name: invitee.name,
    tenantName: invitation.tenantName,
    inviter: invitation.inviter,
    link,
    expiresInDays: invitation.expiresInDays,
  });
  const sent = await sendMail(config, mail);
  if (!sent.ok) {
    console.error("invitation mail failed", invitee.email, sent.error);
    apiError(
      502,
      "mail_failed",
      `Saved, but the invitation e-mail to ${invitee.email} could not be sent (the mail server did not accept it). Try "Resend invitation" later.`,
    );
  }
}

/**
 * Mails a password-reset link (`${PUBLIC_URL}/welcome?token=…`, used like an
 * invitation's) to `user` in their language. Never throws: the caller has
 * already answered (it must not reveal whether the account exists), so a
 * failure is only logged. Not idempotent: every call sends.
 */
export async function mailPasswordReset(
  config: MailConfig | null,
  user: { email: string; name: string; language: Language },
  reset: { token: string; expiresInHours: number },
): Promise<MailResult> {
  if (!config) return { ok: false, error: "mail is not configured" };
  const link = `${config.publicUrl}/welcome?token=${encodeURIComponent(reset.token)}`;
  const mail = passwordResetMail(user.language, user, {
    name: user.name,
    link,
    expiresInHours: reset.expiresInHours,
  });
  const sent = await sendMail(config, mail);
  if (!sent.ok) console.error("password reset mail failed", user.email, sent.error);
  return sent;
}

/**
 * Mails a conversation's transcript to `to`, in `language`. Answers 502 when
 * e-mail is not configured or the mail server does not accept it. Not
 * idempotent: every call sends.
 */
export async function mailTranscript(
  config: MailConfig | null,
  language: Language,
  to: string,
  transcript: Transcript,
  /** The sender is an agent who sees masked data: what they cannot see, they cannot mail. */
  options: { masked?: boolean } = {},
): Promise<void> {
  if (options.masked) transcript = maskTranscript(transcript);
  if (!config) {
    apiError(
      502,
      "mail_not_configured",
      "E-mail is not configured on this server, so the transcript was not sent.",
    );
  }
  const sent = await sendMail(config, transcriptMail(language, to, transcript));
  if (!sent.ok) {
    console.error("transcript mail failed", to, sent.error);
    apiError(
      502,
      "mail_failed",
      `The transcript could not be sent to ${to} (the mail server did not accept it). Try again later.`,
    );
  }
}

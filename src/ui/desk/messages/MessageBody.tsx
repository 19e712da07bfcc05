/**
 * What a message says, by its content type: text with safe links, a file, a
 * location with a map link, contact cards, a choice the customer tapped, our
 * interactive message or template, an unsupported type. Messages without
 * content (contents removed, refused attachments) show their text.
 */
import type { MessageContent } from "../../../shared/message-content.ts";
import type { MessageView } from "../../../shared/protocol.ts";
import { useI18n } from "../../i18n.ts";
import { mapLink } from "./linkify.ts";
import { MediaContent } from "./MediaContent.tsx";
import { RichText } from "./RichText.tsx";

export function MessageBody({ message }: { message: MessageView }) {
  const content = message.content;
  if (!content) return <RichText text={message.text} />;
  return <ContentView content={content} text={message.text} />;
}

function ContentView({ content, text }: { content: MessageContent; text: string }) {
  const { t } = useI18n();
  switch (content.type) {
    case "text":
      return <RichText text={content.body} />;
    case "note":
      // A notice about failed background work: in the agent's language, not the stored one.
      return (
        <p class="message-text message-note-text">
          {content.notice
            ? t(`messages.notice.${content.notice}`, { detail: content.detail ?? "" })
            : content.body}
        </p>
      );
    case "media":
      return <MediaContent media={content} />;
    case "location":
      return <LocationCard location={content} />;
    case "contacts":
      return (
        <div class="contact-cards">
          {content.contacts.map((card, i) => (
            <ContactCardView key={i} card={card} />
          ))}
        </div>
      );
    case "reaction":
      return (
        <p class="message-text reaction-line">
          {content.emoji
            ? t("messages.reaction.toUnknown", { emoji: content.emoji })
            : t("messages.reaction.removed")}
        </p>
      );
    case "reply":
      return (
        <div class="reply-choice">
          <p class="message-text" title={t("messages.reply.label", { title: content.title })}>
            {t("messages.reply.choice", { title: content.title })}
          </p>
          {content.description && <p class="reply-description">{content.description}</p>}
        </div>
      );
    case "interactive":
      return (
        <div class="interactive-sent">
          <RichText text={content.body} />
          {content.options.length > 0 && (
            <ul class="interactive-options" aria-label={t("messages.interactive.options")}>
              {content.options.map((option, i) => (
                <li key={i}>{option}</li>
              ))}
            </ul>
          )}
        </div>
      );
    case "template":
      return (
        <div class="template-sent">
          <p class="template-name">{t("messages.template", { name: content.name })}</p>
          <RichText text={text} />
        </div>
      );
    case "unsupported":
      return (
        <p class="message-text message-unsupported">
          {t("messages.unsupported", { type: content.originalType })}
        </p>
      );
  }
}

function LocationCard({ location }: { location: Extract<MessageContent, { type: "location" }> }) {
  const { t, language } = useI18n();
  const format = new Intl.NumberFormat(language, { maximumFractionDigits: 6 });
  return (
    <div class="location-card">
      <p class="location-heading">
        <span aria-hidden="true">📍 </span>
        {location.name ?? t("messages.location.heading")}
      </p>
      {location.address && <p class="location-address">{location.address}</p>}
      <p class="location-coordinates">
        {format.format(location.latitude)}, {format.format(location.longitude)}
      </p>
      <a
        class="map-link"
        href={mapLink(location.latitude, location.longitude)}
        target="_blank"
        rel="noopener noreferrer"
      >
        {t("messages.location.map")}
      </a>
    </div>
  );
}

function ContactCardView({
  card,
}: {
  card: Extract<MessageContent, { type: "contacts" }>["contacts"][number];
}) {
  const { t } = useI18n();
  return (
    <div class="contact-card">
      <p class="contact-name">
        <span aria-hidden="true">👤 </span>
        {card.name || t("messages.contacts.heading")}
      </p>
      <dl>
        {card.org && (
          <div>
            <dt>{t("messages.contacts.org")}</dt>
            <dd>{card.org}</dd>
          </div>
        )}
        {card.phones.map((phone) => (
          <div key={phone}>
            <dt>{t("messages.contacts.phone")}</dt>
            <dd>
              <a href={`tel:${phone.replace(/[^\d+]/g, "")}`}>{phone}</a>
            </dd>
          </div>
        ))}
        {card.emails.map((email) => (
          <div key={email}>
            <dt>{t("messages.contacts.email")}</dt>
            <dd>
              <a href={`mailto:${email}`}>{email}</a>
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

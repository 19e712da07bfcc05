/** A file in a message: inline image or sticker, audio and video players, a document card. */
import type { MessageContent } from "../../../shared/message-content.ts";
import { useI18n } from "../../i18n.ts";
import { mediaUrl } from "./api.ts";
import { formatSize } from "./linkify.ts";
import { RichText } from "./RichText.tsx";

type Media = Extract<MessageContent, { type: "media" }>;

export function MediaContent({ media }: { media: Media }) {
  const { t, language } = useI18n();
  const kindLabel = t(`messages.media.${media.kind}`);
  if (!media.mediaId) {
    return media.failed ? (
      <p class="media-state media-failed">{t("messages.media.failed", { kind: kindLabel })}</p>
    ) : (
      <p class="media-state media-pending" role="status">
        {t("messages.media.pending", { kind: kindLabel })}
      </p>
    );
  }
  const url = mediaUrl(media.mediaId);
  const caption = media.caption ? <RichText text={media.caption} class="media-caption" /> : null;
  switch (media.kind) {
    case "image":
      return (
        <figure class="media media-image">
          <a
            href={url}
            target="_blank"
            rel="noopener noreferrer"
            title={t("messages.media.openFull")}
          >
            <img src={url} alt={media.caption ?? kindLabel} loading="lazy" decoding="async" />
          </a>
          {caption}
        </figure>
      );
    case "sticker":
      return (
        <figure class="media media-sticker">
          <img src={url} alt={kindLabel} loading="lazy" width={128} height={128} />
        </figure>
      );
    case "audio":
    case "voice":
      return (
        <figure class="media media-audio">
          <figcaption class="media-label">{kindLabel}</figcaption>
          {/* biome-ignore lint/a11y/useMediaCaption: customers' recordings come without captions */}
          <audio controls preload="metadata" src={url} aria-label={kindLabel} />
        </figure>
      );
    case "video":
      return (
        <figure class="media media-video">
          {/* biome-ignore lint/a11y/useMediaCaption: customers' videos come without captions */}
          <video controls preload="metadata" src={url} aria-label={media.caption ?? kindLabel} />
          {caption}
        </figure>
      );
    case "document": {
      const name = media.filename ?? kindLabel;
      return (
        <div class="media media-document">
          <span class="document-icon" aria-hidden="true">
            📄
          </span>
          <span class="document-name">{name}</span>
          {media.size !== null && (
            <span class="document-size">{formatSize(language, media.size)}</span>
          )}
          <a
            class="document-download"
            href={url}
            download={media.filename ?? ""}
            aria-label={t("messages.media.downloadNamed", { name })}
          >
            {t("messages.media.download")}
          </a>
          {caption}
        </div>
      );
    }
  }
}

CREATE TABLE `conversation_messages` (
	`conversation_id` text NOT NULL,
	`seq` integer NOT NULL,
	`tenant_id` text NOT NULL,
	`direction` text NOT NULL,
	`sender_name` text NOT NULL,
	`kind` text NOT NULL,
	`text` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`conversation_id`, `seq`),
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`number_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`skillset_id` text,
	`agent_id` text,
	`agent_name` text,
	`opened_at` integer NOT NULL,
	`closed_at` integer,
	`closed_by` text,
	`closed_by_name` text,
	`close_reason` text,
	`close_notes` text,
	`messages_kept` integer DEFAULT true NOT NULL,
	`message_count` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `conversations_customer` ON `conversations` (`tenant_id`,`customer_id`,`opened_at`);--> statement-breakpoint
CREATE INDEX `conversations_skillset` ON `conversations` (`tenant_id`,`skillset_id`);--> statement-breakpoint
CREATE TABLE `customer_import_rows` (
	`import_id` text NOT NULL,
	`row_no` integer NOT NULL,
	`contact_key` text NOT NULL,
	`phone` text NOT NULL,
	`name` text,
	`authorized` integer,
	`bypass_bot` integer,
	`priority` integer,
	`default_skillset_id` text,
	`notes` text,
	`external_id` text,
	`keep_history` integer,
	`properties` text DEFAULT '{}' NOT NULL,
	PRIMARY KEY(`import_id`, `row_no`),
	FOREIGN KEY (`import_id`) REFERENCES `customer_imports`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customer_import_rows_contact` ON `customer_import_rows` (`import_id`,`contact_key`);--> statement-breakpoint
CREATE TABLE `customer_imports` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`created_by` text NOT NULL,
	`file_name` text NOT NULL,
	`mode` text NOT NULL,
	`status` text NOT NULL,
	`columns` text DEFAULT '[]' NOT NULL,
	`total_rows` integer DEFAULT 0 NOT NULL,
	`processed_rows` integer DEFAULT 0 NOT NULL,
	`valid_rows` integer DEFAULT 0 NOT NULL,
	`rejections` text DEFAULT '[]' NOT NULL,
	`rejected_rows` integer DEFAULT 0 NOT NULL,
	`inserts` integer DEFAULT 0 NOT NULL,
	`updates` integer DEFAULT 0 NOT NULL,
	`deletes` integer DEFAULT 0 NOT NULL,
	`error` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`applied_at` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `customer_imports_tenant` ON `customer_imports` (`tenant_id`,`created_at`);--> statement-breakpoint
-- Full-text search over kept message texts (hand-written: drizzle-kit does not model FTS5).
CREATE VIRTUAL TABLE `conversation_messages_fts` USING fts5(
	`text`, content='conversation_messages', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);--> statement-breakpoint
CREATE TRIGGER `conversation_messages_fts_insert` AFTER INSERT ON `conversation_messages`
WHEN new.`text` IS NOT NULL BEGIN
	INSERT INTO `conversation_messages_fts` (rowid, `text`) VALUES (new.rowid, new.`text`);
END;--> statement-breakpoint
CREATE TRIGGER `conversation_messages_fts_delete` AFTER DELETE ON `conversation_messages`
WHEN old.`text` IS NOT NULL BEGIN
	INSERT INTO `conversation_messages_fts` (`conversation_messages_fts`, rowid, `text`) VALUES ('delete', old.rowid, old.`text`);
END;--> statement-breakpoint
CREATE TRIGGER `conversation_messages_fts_update` AFTER UPDATE OF `text` ON `conversation_messages` BEGIN
	INSERT INTO `conversation_messages_fts` (`conversation_messages_fts`, rowid, `text`)
		SELECT 'delete', old.rowid, old.`text` WHERE old.`text` IS NOT NULL;
	INSERT INTO `conversation_messages_fts` (rowid, `text`) SELECT new.rowid, new.`text` WHERE new.`text` IS NOT NULL;
END;

CREATE TABLE `signing_keys` (
	`kid` text PRIMARY KEY NOT NULL,
	`alg` text NOT NULL,
	`state` text NOT NULL,
	`public_jwk` text NOT NULL,
	`encrypted_private_jwk` text NOT NULL,
	`created_at` integer NOT NULL,
	`retire_until` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `signing_keys_live` ON `signing_keys` (`alg`,`state`) WHERE state <> 'retired';--> statement-breakpoint
CREATE TABLE `backchannel_outbox` (
	`session_id` text NOT NULL,
	`client_id` text NOT NULL,
	`person_id` text,
	`subject` text,
	`reason` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`session_id`, `client_id`)
);
--> statement-breakpoint
CREATE INDEX `backchannel_outbox_due` ON `backchannel_outbox` (`next_at`);
ALTER TABLE `totp_secrets` ADD `enrolment_id` text;--> statement-breakpoint
CREATE INDEX `audit_events_client` ON `audit_events` (`client_id`);
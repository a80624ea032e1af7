CREATE TABLE `organisations` (
	`org_code` text PRIMARY KEY NOT NULL,
	`org_name` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `people` (
	`id` text PRIMARY KEY NOT NULL,
	`uid` text NOT NULL,
	`user_name` text NOT NULL,
	`external_id` text,
	`given_name` text,
	`family_name` text,
	`middle_name` text,
	`honorific_prefix` text,
	`formatted_name` text,
	`display_name` text,
	`emails` text DEFAULT '[]' NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`identity_assurance_level` integer DEFAULT 1 NOT NULL,
	`password_hash` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `people_uid_unique` ON `people` (`uid`);--> statement-breakpoint
CREATE UNIQUE INDEX `people_user_name_unique` ON `people` (`user_name`);--> statement-breakpoint
CREATE INDEX `people_external_id` ON `people` (`external_id`);--> statement-breakpoint
CREATE TABLE `person_organisations` (
	`id` text PRIMARY KEY NOT NULL,
	`person_id` text NOT NULL,
	`org_code` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`org_code`) REFERENCES `organisations`(`org_code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `person_organisations_unique` ON `person_organisations` (`person_id`,`org_code`);--> statement-breakpoint
CREATE TABLE `professional_memberships` (
	`person_id` text NOT NULL,
	`kind` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`person_id`, `kind`),
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `role_assignments` (
	`id` text PRIMARY KEY NOT NULL,
	`person_id` text NOT NULL,
	`org_code` text NOT NULL,
	`role_code` text NOT NULL,
	`role_name` text NOT NULL,
	`activity_codes` text DEFAULT '[]' NOT NULL,
	`activities` text DEFAULT '[]' NOT NULL,
	`workgroup_codes` text DEFAULT '[]' NOT NULL,
	`workgroups` text DEFAULT '[]' NOT NULL,
	`area_of_work_codes` text DEFAULT '[]' NOT NULL,
	`areas_of_work` text DEFAULT '[]' NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`org_code`) REFERENCES `organisations`(`org_code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `role_assignments_person` ON `role_assignments` (`person_id`);--> statement-breakpoint
CREATE TABLE `enrolments` (
	`id` text PRIMARY KEY NOT NULL,
	`person_id` text NOT NULL,
	`code_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`spent_at` integer,
	`created_by` text NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `enrolments_code_hash_unique` ON `enrolments` (`code_hash`);--> statement-breakpoint
CREATE INDEX `enrolments_person` ON `enrolments` (`person_id`);--> statement-breakpoint
CREATE TABLE `totp_secrets` (
	`person_id` text PRIMARY KEY NOT NULL,
	`secret_ciphertext` text NOT NULL,
	`confirmed_at` integer,
	`last_used_step` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `webauthn_credentials` (
	`id` text PRIMARY KEY NOT NULL,
	`person_id` text NOT NULL,
	`public_key` blob NOT NULL,
	`counter` integer DEFAULT 0 NOT NULL,
	`transports` text DEFAULT '[]' NOT NULL,
	`aaguid` text NOT NULL,
	`device_type` text NOT NULL,
	`backed_up` integer NOT NULL,
	`attestation_format` text DEFAULT 'none' NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `webauthn_credentials_person` ON `webauthn_credentials` (`person_id`);--> statement-breakpoint
CREATE TABLE `clients` (
	`client_id` text PRIMARY KEY NOT NULL,
	`client_secret_hash` text,
	`client_secret_expires_at` integer DEFAULT 0 NOT NULL,
	`registration_access_token_hash` text NOT NULL,
	`metadata` text NOT NULL,
	`client_id_issued_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `clients_registration_token_unique` ON `clients` (`registration_access_token_hash`);--> statement-breakpoint
CREATE TABLE `audit_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`subject` text,
	`client_id` text,
	`outcome` text NOT NULL,
	`details` text DEFAULT '{}' NOT NULL,
	`request_id` text
);
--> statement-breakpoint
CREATE INDEX `audit_events_at` ON `audit_events` (`at`);--> statement-breakpoint
CREATE INDEX `audit_events_subject` ON `audit_events` (`subject`,`at`);--> statement-breakpoint
CREATE INDEX `audit_events_action` ON `audit_events` (`action`,`at`);
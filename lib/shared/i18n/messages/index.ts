import * as admin from './admin';
import * as auth from './auth';
import * as bulk from './bulk';
import * as claim from './claim';
import * as compose from './compose';
import * as console from './console';
import * as domain from './domain';
import * as einvoice from './einvoice';
import * as errors from './errors';
import * as history from './history';
import * as home from './home';
import * as invoice from './invoice';
import * as lists from './lists';
import * as members from './members';
import * as notifications from './notifications';
import * as settings from './settings';
import * as shell from './shell';

/**
 * The catalogs, one module per area of the interface, each with its English messages and a German
 * one typed against them: a key missing in German fails the type check. Add a new area here.
 */
const en = { ...errors.en, ...domain.en, ...shell.en, ...auth.en, ...lists.en, ...admin.en, ...console.en, ...notifications.en, ...home.en, ...settings.en, ...invoice.en, ...history.en, ...compose.en, ...einvoice.en, ...members.en, ...bulk.en, ...claim.en };
export type MessageKey = keyof typeof en;
export type Messages = Readonly<Record<MessageKey, string>>;

const de: Messages = { ...errors.de, ...domain.de, ...shell.de, ...auth.de, ...lists.de, ...admin.de, ...console.de, ...notifications.de, ...home.de, ...settings.de, ...invoice.de, ...history.de, ...compose.de, ...einvoice.de, ...members.de, ...bulk.de, ...claim.de };

export const CATALOGS: Readonly<Record<'en' | 'de', Messages>> = { en, de };

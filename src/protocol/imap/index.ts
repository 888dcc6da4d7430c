// The IMAP codec's public surface: read commands from bytes, parse them into typed commands,
// serialize responses. Pure: no sockets, no store (ARCHITECTURE.md, "protocol/").
export { CommandReader, DEFAULT_READER_OPTIONS, LITERAL_MINUS_MAX } from './command-reader.js';
export type { CommandError, CommandReaderOptions, LiteralInfo, ReaderEvent } from './command-reader.js';
export { describeToken, isNil } from './tokens.js';
export type { AtomToken, CommandLine, ListToken, PartialRange, StreamedLiteralToken, StringToken, Token } from './tokens.js';
export { ArgumentCursor, BadCommand, decodeUtf8 } from './arguments.js';
export type { CommandContext, ParseContext } from './arguments.js';

export { COMMANDS, parseCommand } from './commands/index.js';
export type { CommandDescriptor, CommandParser, ImapCommand, ParsedCommand } from './commands/index.js';
export { isIdleDone } from './commands/no-argument.js';
export type { NoArgumentCommand, NoArgumentCommandName } from './commands/no-argument.js';
export { decodeBase64, decodeSaslResponse } from './commands/authenticate.js';
export type { AuthenticateCommand } from './commands/authenticate.js';
export type { LoginCommand } from './commands/login.js';
export type { EnableCommand } from './commands/enable.js';
export { ID_LIMITS } from './commands/id.js';
export type { IdCommand } from './commands/id.js';
export type { CompressCommand } from './commands/compress.js';
export type { QresyncParameters, SelectCommand } from './commands/select.js';
export type { CreateCommand } from './commands/create.js';
export type { DeleteCommand } from './commands/delete.js';
export type { RenameCommand } from './commands/rename.js';
export type { SubscribeCommand } from './commands/subscribe.js';
export type { ListCommand, ListReturn, ListSelection, LsubCommand } from './commands/list.js';
export { STATUS_ITEMS } from './commands/status.js';
export type { StatusCommand, StatusItem } from './commands/status.js';
export { describePendingAppend } from './commands/append.js';
export type { AppendCommand, AppendMessage, AppendOptions, MessageData, PendingAppend } from './commands/append.js';
export type { ExpungeCommand } from './commands/expunge.js';
export { MAX_SEARCH_DEPTH, SEARCH_CHARSETS } from './commands/search-keys.js';
export type { SearchKey } from './commands/search-keys.js';
export { SEARCH_RETURN_OPTIONS } from './commands/search.js';
export type { SearchCommand, SearchReturnOption } from './commands/search.js';
export { SORT_KEYS } from './commands/sort.js';
export type { SortCommand, SortCriterion, SortKey } from './commands/sort.js';
export { THREAD_ALGORITHMS } from './commands/thread.js';
export type { ThreadAlgorithm, ThreadCommand } from './commands/thread.js';
export { SIMPLE_FETCH_ITEMS } from './commands/fetch.js';
export type { FetchCommand, FetchItem, FetchPartial, SimpleFetchItemName } from './commands/fetch.js';
export type { StoreCommand } from './commands/store.js';
export type { CopyCommand } from './commands/copy.js';
export type { GetQuotaCommand, GetQuotaRootCommand, SetQuotaCommand } from './commands/quota.js';
export { ACL_RIGHTS } from './commands/acl.js';
export type { DeleteAclCommand, GetAclCommand, ListRightsCommand, MyRightsCommand, SetAclCommand } from './commands/acl.js';

export { bodySectionPath, formatBodySection } from './body-section.js';
export type { BodySection, SectionSpecifier } from './body-section.js';
export {
  formatNumberSet, formatSequenceSet, MAX_SEQUENCE_NUMBER, parseSequenceSet, resolveSequenceSet, sequenceSetHasStar, sequenceSetIncludes,
} from './sequence-set.js';
export type { SequenceNumber, SequenceRange, SequenceSet } from './sequence-set.js';
export {
  decodeMailboxName, decodeModifiedUtf7, encodeMailboxName, encodeModifiedUtf7, isValidMailboxName, normalizeInbox,
} from './mailbox-name.js';
export { formatDateTime, parseDateTime, parseSearchDate } from './date-time.js';
export { isAtom, normalizeSpecialUse, normalizeStoreFlag, SPECIAL_USE_ATTRIBUTES, SYSTEM_FLAGS } from './flags.js';

export { commandErrorResponse, encodeResponse, parseErrorResponse, serializeResponse, tagged, untagged } from './responses.js';
export type { ResponsePart } from './responses.js';
export { LiteralSizeMismatch, writeResponse } from './response-writer.js';
export type {
  BodyData, ContinuationResponse, DataResponse, FetchResponseItem, NamespaceEntry, QuotaResource, Response, ResponseCode,
  SerializeOptions, SimpleResponseCode, StatusCondition, StatusResponse, StreamedBody, ThreadNode,
} from './response-types.js';
export { astringOut, nstringOut, stringOut, textOut } from './wire.js';

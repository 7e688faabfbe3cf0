// Block Kit rules the fake enforces: which keys each block/element/view may have, which elements go where, and
// the numeric limits (see /work/shared/docs/slack.md "Block Kit limits").

export type J = any;
export type Surface = 'modal' | 'home' | 'message';

export const TEXT_TYPES = ['plain_text', 'mrkdwn'];

/** Elements that may sit in an input block. */
export const INPUT_ELEMENTS = new Set([
  'plain_text_input', 'email_text_input', 'url_text_input', 'number_input', 'checkboxes', 'radio_buttons',
  'datepicker', 'timepicker', 'datetimepicker', 'static_select', 'external_select', 'users_select',
  'conversations_select', 'channels_select', 'multi_static_select', 'multi_external_select', 'multi_users_select',
  'multi_conversations_select', 'multi_channels_select', 'file_input', 'rich_text_input',
]);
/** Elements that may sit in an actions block. */
export const ACTION_ELEMENTS = new Set([
  'button', 'checkboxes', 'datepicker', 'datetimepicker', 'multi_static_select', 'multi_external_select',
  'multi_users_select', 'multi_conversations_select', 'multi_channels_select', 'overflow', 'radio_buttons',
  'static_select', 'external_select', 'users_select', 'conversations_select', 'channels_select', 'timepicker',
  'workflow_button', 'rich_text_input',
]);
/** Elements that may be a section accessory. */
export const ACCESSORY_ELEMENTS = new Set([
  'button', 'checkboxes', 'datepicker', 'image', 'multi_static_select', 'multi_external_select', 'multi_users_select',
  'multi_conversations_select', 'multi_channels_select', 'overflow', 'radio_buttons', 'static_select',
  'external_select', 'users_select', 'conversations_select', 'channels_select', 'timepicker', 'workflow_button',
]);

export const COMMON_ELEMENT_KEYS = ['type', 'action_id', 'focus_on_load'];
export const ELEMENT_KEYS: Record<string, string[]> = {
  button: ['type', 'text', 'action_id', 'url', 'value', 'style', 'confirm', 'accessibility_label'],
  static_select: [...COMMON_ELEMENT_KEYS, 'placeholder', 'options', 'option_groups', 'initial_option', 'confirm'],
  external_select: [...COMMON_ELEMENT_KEYS, 'placeholder', 'initial_option', 'min_query_length', 'confirm'],
  users_select: [...COMMON_ELEMENT_KEYS, 'placeholder', 'initial_user', 'confirm'],
  conversations_select: [...COMMON_ELEMENT_KEYS, 'placeholder', 'initial_conversation', 'default_to_current_conversation', 'confirm', 'response_url_enabled', 'filter'],
  channels_select: [...COMMON_ELEMENT_KEYS, 'placeholder', 'initial_channel', 'confirm', 'response_url_enabled'],
  multi_static_select: [...COMMON_ELEMENT_KEYS, 'placeholder', 'options', 'option_groups', 'initial_options', 'confirm', 'max_selected_items'],
  multi_external_select: [...COMMON_ELEMENT_KEYS, 'placeholder', 'initial_options', 'min_query_length', 'confirm', 'max_selected_items'],
  multi_users_select: [...COMMON_ELEMENT_KEYS, 'placeholder', 'initial_users', 'confirm', 'max_selected_items'],
  multi_conversations_select: [...COMMON_ELEMENT_KEYS, 'placeholder', 'initial_conversations', 'default_to_current_conversation', 'confirm', 'max_selected_items', 'filter'],
  multi_channels_select: [...COMMON_ELEMENT_KEYS, 'placeholder', 'initial_channels', 'confirm', 'max_selected_items'],
  overflow: ['type', 'action_id', 'options', 'confirm'],
  checkboxes: [...COMMON_ELEMENT_KEYS, 'options', 'initial_options', 'confirm'],
  radio_buttons: [...COMMON_ELEMENT_KEYS, 'options', 'initial_option', 'confirm'],
  datepicker: [...COMMON_ELEMENT_KEYS, 'placeholder', 'initial_date', 'confirm'],
  timepicker: [...COMMON_ELEMENT_KEYS, 'placeholder', 'initial_time', 'confirm', 'timezone'],
  datetimepicker: [...COMMON_ELEMENT_KEYS, 'initial_date_time', 'confirm'],
  plain_text_input: [...COMMON_ELEMENT_KEYS, 'placeholder', 'initial_value', 'multiline', 'min_length', 'max_length', 'dispatch_action_config'],
  email_text_input: [...COMMON_ELEMENT_KEYS, 'placeholder', 'initial_value', 'dispatch_action_config'],
  url_text_input: [...COMMON_ELEMENT_KEYS, 'placeholder', 'initial_value', 'dispatch_action_config'],
  number_input: [...COMMON_ELEMENT_KEYS, 'placeholder', 'initial_value', 'is_decimal_allowed', 'min_value', 'max_value', 'dispatch_action_config'],
  file_input: ['type', 'action_id', 'filetypes', 'max_files'],
  rich_text_input: [...COMMON_ELEMENT_KEYS, 'placeholder', 'initial_value', 'dispatch_action_config'],
  workflow_button: ['type', 'text', 'action_id', 'workflow', 'style', 'accessibility_label'],
  image: ['type', 'image_url', 'slack_file', 'alt_text'],
};

export const BLOCK_KEYS: Record<string, string[]> = {
  section: ['type', 'block_id', 'text', 'fields', 'accessory', 'expand'],
  divider: ['type', 'block_id'],
  header: ['type', 'block_id', 'text'],
  image: ['type', 'block_id', 'image_url', 'slack_file', 'alt_text', 'title'],
  context: ['type', 'block_id', 'elements'],
  actions: ['type', 'block_id', 'elements'],
  input: ['type', 'block_id', 'label', 'element', 'dispatch_action', 'hint', 'optional'],
  rich_text: ['type', 'block_id', 'elements'],
  file: ['type', 'block_id', 'external_id', 'source'],
  video: ['type', 'block_id', 'alt_text', 'author_name', 'description', 'provider_icon_url', 'provider_name', 'title', 'title_url', 'thumbnail_url', 'video_url'],
  markdown: ['type', 'block_id', 'text'],
};

export const VIEW_KEYS = ['type', 'title', 'blocks', 'close', 'submit', 'private_metadata', 'callback_id', 'clear_on_close',
  'notify_on_close', 'external_id', 'submit_disabled'];

export const LIMITS = {
  viewBlocks: 100,
  messageBlocks: 50,
  modalTitle: 24,
  privateMetadata: 3000,
  id: 255,
  staticOptions: 100,
  optionText: 75,
  optionValue: 75, // docs/slack.md: option text/value/description <= 75
  radioOrCheckboxOptions: 10,
  sectionText: 3000,
  sectionField: 2000,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  viewBytes: 250 * 1024,
  headerText: 150,
  placeholder: 150,
  label: 2000,
  hint: 2000,
  altText: 2000,
  contextElements: 10,
  actionsElements: 25,
  sectionFields: 10,
  overflowMin: 2,
  overflowMax: 5,
  maxFiles: 10,
  textInputLength: 3000,
};

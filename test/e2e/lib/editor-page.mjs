// Drives n8n 2.8's editor UI (Vue) in a playwright-core page: login, node
// creator, node details view (NDV), parameters, credentials, runs. Selectors
// are n8n's own data-test-id attributes (read from n8n-editor-ui 2.8.4's
// bundle), with visible text only where n8n has no test id.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const TIMEOUT = 20_000;

/** Polls `fn` until it returns something truthy; throws with the last value or error. */
export async function waitFor(fn, { timeout = TIMEOUT, interval = 150, message = 'condition' } = {}) {
	const deadline = Date.now() + timeout;
	let last;
	for (;;) {
		try {
			const value = await fn();
			if (value) return value;
			last = value;
		} catch (error) {
			last = error;
		}
		if (Date.now() > deadline) {
			const detail = last instanceof Error ? last.message.split('\n')[0] : JSON.stringify(last);
			throw new Error(`timed out after ${timeout} ms waiting for ${message} (last: ${detail})`);
		}
		await sleep(interval);
	}
}

/** Collapses white space, for comparing rendered text with source text. */
export const squash = (text) => String(text ?? '').replace(/\s+/g, ' ').trim();

/** Text of an HTML snippet as n8n renders a notice (tags dropped, entities of the basic kind decoded). */
export const htmlText = (html) =>
	squash(
		String(html)
			.replace(/<[^>]*>/g, '')
			.replace(/&lt;/g, '<')
			.replace(/&gt;/g, '>')
			.replace(/&quot;/g, '"')
			.replace(/&#39;/g, "'")
			.replace(/&amp;/g, '&'),
	);

export class EditorPage {
	/**
	 * @param {import('playwright-core').Page} page
	 * @param {{ baseUrl: string, resultsDir: string, docsDir?: string, updateDocs?: boolean }} options
	 */
	constructor(page, { baseUrl, resultsDir, docsDir, updateDocs = false }) {
		this.page = page;
		this.baseUrl = baseUrl.replace(/\/+$/, '');
		this.resultsDir = resultsDir;
		this.docsDir = docsDir;
		this.updateDocs = updateDocs;
		this.screenshots = [];
		fs.mkdirSync(resultsDir, { recursive: true });
	}

	byId(id) {
		return this.page.getByTestId(id);
	}

	/** Saves a screenshot to the results folder, and to docs/screenshots when asked (UPDATE_SCREENSHOTS=1). */
	async screenshot(name, { docs = false, locator, moveMouse = true } = {}) {
		const file = path.join(this.resultsDir, `${name}.png`);
		// No hover state in the picture (the pointer parks on the NDV's dark backdrop
		// or the canvas corner), and transitions (NDV slide-in) settled
		if (moveMouse) await this.page.mouse.move(2, this.page.viewportSize().height - 2);
		await sleep(300);
		if (locator) await locator.screenshot({ path: file, animations: 'disabled' });
		else await this.page.screenshot({ path: file, animations: 'disabled' });
		this.screenshots.push(file);
		if (docs && this.updateDocs && this.docsDir) {
			fs.mkdirSync(this.docsDir, { recursive: true });
			fs.copyFileSync(file, path.join(this.docsDir, `${name}.png`));
		}
		return file;
	}

	// ------------------------------------------------------------ session

	/** Signs in through /signin as a user would. */
	async login({ email, password }) {
		await this.page.goto(`${this.baseUrl}/signin`);
		await this.byId('emailOrLdapLoginId').locator('input').fill(email);
		await this.byId('password').locator('input').fill(password);
		await this.byId('form-submit-button').click();
		await this.page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: TIMEOUT });
	}

	/**
	 * n8n 2.x keeps the theme ('light' | 'dark' | 'system') in localStorage
	 * N8N_THEME (what Settings > Personal > Theme writes) and applies it on load
	 * as <body data-theme>.
	 */
	async setTheme(theme) {
		await this.page.evaluate((value) => localStorage.setItem('N8N_THEME', value), theme);
		await this.page.reload();
		await waitFor(async () => (await this.page.evaluate(() => document.body.getAttribute('data-theme'))) === theme || theme === 'system', {
			message: `body[data-theme=${theme}]`,
		});
	}

	async newWorkflow() {
		await this.page.goto(`${this.baseUrl}/workflow/new`);
		await this.byId('canvas').waitFor({ timeout: TIMEOUT });
	}

	async openWorkflow(id) {
		await this.page.goto(`${this.baseUrl}/workflow/${id}`);
		await this.byId('canvas-node').first().waitFor({ timeout: TIMEOUT });
	}

	// ------------------------------------------------------------ node creator

	/** Opens the node creator (empty canvas: the big plus; otherwise the top-right plus) and searches. */
	async searchNodes(query) {
		const firstStep = this.byId('canvas-plus-button');
		if (await firstStep.isVisible()) await firstStep.click();
		else await this.byId('node-creator-plus-button').click();
		const search = this.byId('node-creator-search-bar');
		await search.waitFor({ timeout: TIMEOUT });
		await search.fill(query);
		const creator = this.byId('node-creator');
		await waitFor(async () => (await creator.getByTestId('item-iterator-item').count()) > 0, { message: `node creator results for "${query}"` });
		return creator;
	}

	/** The node creator's result rows: name, kind (node or action item) and the icon <img>s. */
	async nodeCreatorItems() {
		return await this.byId('node-creator')
			.getByTestId('item-iterator-item')
			.evaluateAll((rows) =>
				rows.map((row) => ({
					name: row.querySelector('[data-test-id=node-creator-item-name]')?.textContent?.trim() ?? '',
					kind: row.querySelector('[data-test-id=node-creator-node-item]')
						? 'node'
						: row.querySelector('[data-test-id=node-creator-action-item]')
							? 'action'
							: 'other',
					// the first img is the row's icon (a hidden drag preview repeats it)
					icon: (() => {
						const img = row.querySelector('img');
						return img
							? { src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth > 0, width: img.naturalWidth }
							: null;
					})(),
				})),
			);
	}

	async clickNodeCreatorItem(name) {
		await this.byId('node-creator').getByTestId('node-creator-item-name').getByText(name, { exact: true }).click();
	}

	// ------------------------------------------------------------ NDV

	ndv() {
		return this.byId('ndv');
	}

	params() {
		return this.byId('node-parameters');
	}

	async waitForNdv(title) {
		await this.params().waitFor({ timeout: TIMEOUT });
		if (title) {
			await waitFor(async () => squash(await this.byId('node-title-container').innerText()).includes(title), {
				message: `NDV titled "${title}"`,
			});
		}
	}

	async closeNdv() {
		await this.byId('ndv-close-button').click();
		await this.ndv().waitFor({ state: 'hidden', timeout: TIMEOUT });
	}

	/** Opens a canvas node's NDV by double-click. */
	async openNode(name) {
		await this.page.locator(`[data-test-id="canvas-node"][data-node-name="${name.replace(/"/g, '\\"')}"]`).dblclick();
		await this.waitForNdv(name);
	}

	/** The parameter's input wrapper, e.g. parameter-input-operation. */
	param(name) {
		return this.params().getByTestId(`parameter-input-${name}`);
	}

	async isParamVisible(name) {
		return await this.param(name).isVisible();
	}

	/** The label text of a parameter (first line: without the Fixed/Expression switch). */
	async paramLabel(name) {
		const label = this.params().locator(`label[for="${name}"]`).first();
		if ((await label.count()) === 0) return null;
		return squash((await label.innerText()).split('\n')[0]);
	}

	/** Current value shown in an options parameter (el-select input). */
	async optionValue(name) {
		return await this.param(name).locator('input').first().inputValue();
	}

	/**
	 * The rows of the open select dropdown (Element Plus popper). Options rows
	 * carry data-test-id=parameter-input-item, multiOptions rows do not: both are
	 * role=option.
	 */
	visibleOptions() {
		return this.page.locator('.el-select__popper:visible [role="option"]');
	}

	/** Opens an options/multiOptions parameter's dropdown, reads the option names (first line of each row), closes it. */
	async optionNames(name) {
		const input = this.param(name);
		await input.click();
		await waitFor(async () => (await this.visibleOptions().count()) > 0, { message: `options of ${name}` });
		const names = (await this.visibleOptions().allInnerTexts()).map((text) => squash(text.split('\n')[0]));
		await this.closeDropdown(name);
		return names;
	}

	/** Closes an open el-select dropdown without Escape (Escape would close the NDV). */
	async closeDropdown(name) {
		const label = this.params().locator(`label[for="${name}"]`).first();
		if ((await label.count()) > 0) await label.click({ position: { x: 2, y: 2 } });
		else await this.param(name).click();
		await waitFor(async () => (await this.visibleOptions().count()) === 0, { message: `dropdown of ${name} closed`, timeout: 5_000 });
	}

	/** Picks an option of an options parameter by its display name. */
	async selectOption(name, optionName) {
		await this.param(name).click();
		const row = this.visibleOptions().filter({ has: this.page.getByText(optionName, { exact: true }) }).first();
		await row.click();
		await waitFor(async () => (await this.optionValue(name)) === optionName, { message: `${name} = "${optionName}"` });
		await waitFor(async () => (await this.visibleOptions().count()) === 0, { message: 'dropdown closed', timeout: 5_000 });
	}

	/** Texts of the notices shown in the parameter list. */
	async noticeTexts() {
		const notices = this.params().locator('[role="alert"] .notice-content');
		return (await notices.allInnerTexts()).map(squash);
	}

	/** The issue tooltip of a parameter ("Parameter "X" is required."), or null if it shows no issue. */
	async paramIssue(name) {
		const container = this.params()
			.getByTestId('parameter-item')
			.filter({ has: this.page.getByTestId(`parameter-input-${name}`) })
			.last();
		const icon = container.getByTestId('parameter-issues');
		if ((await icon.count()) === 0 || !(await icon.first().isVisible())) return null;
		await icon.first().hover();
		// reka-ui tooltip: the visible bubble carries data-side (its role=tooltip twin is visually hidden)
		const tooltip = this.page.locator('[data-side]:visible').filter({ hasText: 'Issues' });
		const text = await waitFor(async () => {
			const texts = await tooltip.allInnerTexts();
			return texts.length ? squash(texts.join(' ')) : null;
		}, { message: `issue tooltip of ${name}`, timeout: 5_000 });
		await this.page.mouse.move(1, 1);
		await waitFor(async () => (await tooltip.count()) === 0, { message: 'tooltip gone', timeout: 5_000 }).catch(() => {});
		return text;
	}

	// ------------------------------------------------------------ credentials

	credentialSelect() {
		// The node's first credential (the Tartan Trigger has an optional second one)
		return this.params().getByTestId('node-credentials-select').first();
	}

	/** Field labels of the credential modal's connection form (required ones end with " *"). */
	async credentialFormFields(modal) {
		return (await modal.getByTestId('credential-connection-parameter').locator('label').allInnerTexts()).map((text) =>
			squash(text.split('\n')[0]),
		);
	}

	async selectedCredential() {
		return await this.credentialSelect().locator('input').first().inputValue();
	}

	/** Opens the credential dropdown; returns [{ id, text }] and leaves it open. */
	async credentialOptions() {
		await this.credentialSelect().click();
		const items = this.page.locator('[data-test-id^="node-credentials-select-item-"]:visible');
		await waitFor(async () => (await items.count()) > 0, { message: 'credential options' });
		return await items.evaluateAll((els) =>
			els.map((el) => ({ id: el.getAttribute('data-test-id').replace('node-credentials-select-item-', ''), text: el.innerText })),
		);
	}

	async selectCredential(id, name) {
		const item = this.page.getByTestId(`node-credentials-select-item-${id}`);
		if (!(await item.isVisible())) await this.credentialSelect().click();
		await item.click();
		await waitFor(async () => (await this.selectedCredential()) === name, { message: `credential "${name}" selected` });
	}

	// ------------------------------------------------------------ running

	/** Picks the trigger the canvas "Execute workflow" split button starts from (when there are several). */
	async selectTriggerToRunFrom(triggerName) {
		const chevron = this.page.getByRole('button', { name: 'Select trigger node' });
		if ((await chevron.count()) === 0) return;
		await chevron.click();
		await this.page.getByRole('menuitem').filter({ hasText: triggerName }).first().click();
		await waitFor(async () => squash(await this.byId('execute-workflow-button').innerText()).includes(triggerName), {
			message: `Execute workflow from "${triggerName}"`,
		});
	}

	/** Clicks the canvas "Execute workflow" button and waits until the run finished in the editor. */
	async executeWorkflow({ timeout = 60_000 } = {}) {
		const button = this.byId('execute-workflow-button');
		await button.click();
		const toast = this.page.locator('.el-notification, [role="alert"]').filter({ hasText: /Workflow executed successfully|Problem in node|Workflow has issues|failed/i });
		await toast.first().waitFor({ timeout });
		return squash(await toast.first().innerText());
	}

	/** Closes the toasts (bottom right) so that they do not cover screenshots. */
	async dismissToasts() {
		const close = this.page.locator('.el-notification .el-notification__closeBtn:visible');
		for (let i = (await close.count()) - 1; i >= 0; i--) await close.nth(i).click().catch(() => {});
		await waitFor(async () => (await this.page.locator('.el-notification:visible').count()) === 0, {
			message: 'toasts closed',
			timeout: 5_000,
		}).catch(() => {});
	}
}
